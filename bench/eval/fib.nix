# Naive doubly-recursive Fibonacci: measures function application through
# closures, integer arithmetic and comparison, and thunk creation/forcing.
# fib 27 = 196418 (~630k calls).
let
  fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2);
in
fib 27
