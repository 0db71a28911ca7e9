# Sorts 1e5 pseudo-random integers with builtins.sort and a lambda comparator: measures the
# merge sort's comparator calls (about 1.7e6 lambda calls) and list allocation.
let
  n = 100000;
  # a linear congruential sequence, so that the input is the same in every run
  xs = builtins.genList (i: (i * 1103515245 + 12345) - ((i * 1103515245 + 12345) / 2147483648) * 2147483648) n;
  sorted = builtins.sort (a: b: a < b) xs;
in
[ (builtins.head sorted) (builtins.elemAt sorted 50000) (builtins.elemAt sorted (n - 1)) (builtins.length sorted) ]
