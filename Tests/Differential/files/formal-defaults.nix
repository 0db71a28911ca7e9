# A formal whose default refers to another formal, given by the caller as a thunk that
# captures variables of the caller's scope.
let
  outer = 42;
  other = "x";
  mk = { name, f ? name + "!", g ? [ f ] }: [ f g ];
in
[
  (mk { name = "n"; f = outer + 1; })
  (mk { name = "n"; })
  (mk { name = "n"; g = other + "y"; })
  (mk rec { name = "n"; f = "${other}-${name}"; })
]
