let
  p = n: s: builtins.unsafeGetAttrPos n s;
  x = 1;
  src = { a = 1; };
in {
  plain = p "a" { a = 1; };
  nested = p "a" { a.b = 1; a.c = 2; };
  nestedInner = p "b" { a.b = 1; }.a;
  inh = p "x" { inherit x; };
  inhFrom = p "a" { inherit (src) a; };
  update = p "a" ({ a = 1; } // { b = 2; });
  lta = p "x" (builtins.listToAttrs [ { name = "x"; value = 1; } ]);
  ltaLit = p "x" (builtins.listToAttrs [ { value = 1; name = "x"; } ]);
  mapA = p "x" (builtins.mapAttrs (n: v: v) { x = 1; });
  recA = p "a" (rec { a = 1; });
  dyn = p "x" { ${"x"} = 1; };
  quoted = p "a" { "a" = 1; };
  letIn = p "a" (let a = 1; in { inherit a; });
  rm = p "a" (builtins.removeAttrs { a = 1; b = 2; } [ "b" ]);
  inter = p "a" (builtins.intersectAttrs { a = 0; } { a = 1; });
  zip = p "a" (builtins.zipAttrsWith (n: v: v) [ { a = 1; } ]);
  fargs = p "a" (builtins.functionArgs ({ a ? 1 }: a));
  group = p "k" (builtins.groupBy (x: "k") [ 1 ]);
  cur = __curPos;
  multiline = p "b" {
    a = 1;
      b = 2;
  };
}
