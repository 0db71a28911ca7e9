# Builds a 1e6-element list with builtins.genList and folds it with the
# strict left fold builtins.foldl': measures primop calls, list allocation
# and the cost of calling a 2-argument lambda a million times.
# Sum of (i * 3 + 1) for i in [0, 1e6) = 3 * (1e6 * (1e6 - 1) / 2) + 1e6
#   = 1499999500000.
let
  n = 1000000;
  xs = builtins.genList (i: i * 3 + 1) n;
in
builtins.foldl' (acc: x: acc + x) 0 xs
