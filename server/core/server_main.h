#pragma once
// Entry point of atende-server (main.cpp stays thin): parses arguments, sets up logging, runs the
// ServerApplication until SIGTERM/SIGINT. Returns the process exit code.

namespace atende::server::core {
int serverMain(int argc, char **argv);
} // namespace atende::server::core
