# A value for JSON/XML output tests.
{
  name = "swix";
  version = [ 1 2 3 ];
  float = 0.0025;
  nested.deep.deeper = [ true false null "é" ];
  fn = { a, b ? 1, ... }: a;
  str = { __toString = self: "as string"; };
  drv = { type = "derivation"; outPath = "/nix/store/aaaa-x"; drvPath = "/nix/store/bbbb-x.drv"; name = "x"; };
}
