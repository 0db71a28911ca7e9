// The `swix` executable: runs the command line and writes its output.

import Foundation
import SwixCLI

let result = SwixCommandLine.run(Invocation.current())
FileHandle.standardOutput.write(Data(result.stdout))
FileHandle.standardError.write(Data(result.stderr))
exit(result.exitCode)
