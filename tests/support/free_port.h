#pragma once
// Ports for tests that need a real TCP listener.

#include <QtGlobal>

namespace atende::test {

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picked it for a socket bound to port 0,
// which is then closed). Another process may still grab it before the test binds it, so prefer letting the
// code under test listen on port 0 and asking it for its port; use this only where a port must be chosen
// up front. Returns 0 if no socket could be bound.
quint16 freePort();

} // namespace atende::test
