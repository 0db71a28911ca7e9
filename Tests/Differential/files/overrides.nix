rec { a = 1; __overrides = { a = 2; }; }
