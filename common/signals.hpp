// SIGINT/SIGTERM handling: the first signal asks every loop to stop, a second exits at once.
#pragma once

namespace ck::signals {

/// Installs the handlers for SIGINT, SIGTERM and SIGHUP; SIGPIPE is ignored.
void install();

/// True once a stop signal arrived; loops check it between polls.
bool stop_requested();

/// The signal that asked to stop (0 if none); main maps it to exit 128+n.
int stop_signal();

}  // namespace ck::signals
