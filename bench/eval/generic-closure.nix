# builtins.genericClosure over 1e4 nodes of a graph where every node points to three others:
# measures the key comparisons of the closure's seen-set and the operator calls per node.
let
  n = 10000;
  node = k: { key = k; };
  next = k: [ (node (k * 7 - (k * 7 / n) * n)) (node (k + 1 - ((k + 1) / n) * n)) (node (k * k - (k * k / n) * n)) ];
  closure = builtins.genericClosure {
    startSet = [ (node 1) ];
    operator = item: next item.key;
  };
in
[ (builtins.length closure) (builtins.foldl' (acc: item: acc + item.key) 0 closure) ]
