// The exit-status table shared by every ck-migrate tool (DESIGN.md, man pages).
#pragma once

namespace ck {

/// Exit statuses; 128+n for "stopped by signal n" is computed at runtime.
enum ExitCode : int {
  kExitOk = 0,        ///< Success: everything planned/copied/verified.
  kExitFailed = 1,    ///< Ran, but something failed or mismatched (see records).
  kExitUsage = 2,     ///< Usage or configuration error; nothing was done.
  kExitRuntime = 3,   ///< Runtime error: cluster unreachable, malformed input.
  kExitInProgress = 4,  ///< ck-verify only: the copied part verified, the job still follows.
  kExitSignalBase = 128,
};

}  // namespace ck
