// NixEval: the compiler, VM, heap and builtins of Swix (see Documentation/Architecture.md).

import NixSyntax
import NixStore
