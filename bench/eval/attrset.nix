# Builds a 1e5-key attribute set with builtins.listToAttrs (names "k0" ..
# "k99999", built with string interpolation and toString), then looks every
# key up again, once with builtins.getAttr and once with a dynamic
# attribute selection `set.${name}`: measures symbol interning, attrset
# construction (sorting) and attribute lookup.
# Each pass sums 0 + 1 + ... + 99999 = 4999950000; result = 2 * that.
let
  n = 100000;
  names = builtins.genList (i: "k${toString i}") n;
  set = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) n);
  viaGetAttr = builtins.foldl' (acc: name: acc + builtins.getAttr name set) 0 names;
  viaSelect = builtins.foldl' (acc: name: acc + set.${name}) 0 names;
in
assert builtins.length (builtins.attrNames set) == n;
viaGetAttr + viaSelect
