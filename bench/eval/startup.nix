# Trivial expression: measures process start-up (initialising the evaluator,
# the builtins and the base environment) and teardown.  The design budget
# for `swix eval -E 1` is a few milliseconds.
1
