# 2e4 string concatenations: a strict left fold appends a short string
# (with an interpolated piece every step) to an ever-growing accumulator,
# then takes the length. Measures string allocation/copying (quadratic in
# total: ~2e4 copies of an accumulator of up to 80 KB) and toString.
# Each step appends "ab" + toString (i mod 10) + ";" = 4 chars:
# length = 4 * 20000 = 80000.
let
  n = 20000;
in
builtins.stringLength (
  builtins.foldl' (acc: i: acc + "ab${toString (i - i / 10 * 10)};") "" (builtins.genList (i: i) n)
)
