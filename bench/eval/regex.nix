# builtins.match and builtins.split over generated package names: version parsing with groups
# (2e4 matches), a filter with a leading and trailing `.*`, and one split of a 3e5-byte text
# into about 8e4 pieces. Measures regex compilation caching and matching.
let
  n = 20000;
  names = builtins.genList (i: "pkg-${toString i}-${toString (i * 7 - (i / 13) * 13)}.${toString (i - (i / 100) * 100)}") n;
  parsed = map (s: builtins.match "([a-z]+)-([0-9]+)-([0-9]+)\\.([0-9]+)" s) names;
  groups = builtins.foldl' (acc: m: if m == null then acc else acc + builtins.length m) 0 parsed;
  sevens = builtins.length (builtins.filter (s: builtins.match ".*7.*" s != null) names);
  pieces = builtins.length (builtins.split "[-. ]+" (builtins.concatStringsSep " " names));
in
groups + sevens + pieces
