# Serialises a 1e5-element list of small records (about 7 MB of JSON) with
# builtins.toJSON, parses it back with builtins.fromJSON and checks the round
# trip on every record: measures the JSON serialiser (forcing, escaping, float
# and integer formatting, attribute name order) and the parser (numbers,
# strings, objects, arrays).
# Result: the JSON text's length plus the sum of the ids read back.
let
  n = 100000;
  records = builtins.genList (i: {
    id = i;
    name = "item \"${toString i}\"\n";
    score = i * 1.5;
    tags = [ "a" "b/c" (i / 7) null true ];
    nested = { left = i; right = { deep = [ i ]; }; };
  }) n;
  text = builtins.toJSON records;
  back = builtins.fromJSON text;
  ids = builtins.foldl' (acc: r: acc + r.id + builtins.head r.nested.right.deep - r.nested.left) 0 back;
in
assert builtins.length back == n;
builtins.stringLength text + ids
