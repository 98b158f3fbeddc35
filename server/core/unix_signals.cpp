#include "server/core/unix_signals.h"

#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace atende::server::core {
namespace {
// A signal handler can reach nothing but process-wide state: this fd is it.
int s_writeFd = -1;

void onSignal(int sig)
{
    const char c = char(sig);
    if (s_writeFd >= 0) [[maybe_unused]]
        auto n = ::write(s_writeFd, &c, 1);
}
} // namespace

UnixSignals::UnixSignals(QObject *parent)
    : QObject(parent)
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return;
    s_writeFd = fds[0];
    m_notifier = new QSocketNotifier(fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this, fd = fds[1]] {
        char c = 0;
        if (::read(fd, &c, 1) == 1)
            Q_EMIT terminateRequested(int(c));
    });
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
}

UnixSignals::~UnixSignals()
{
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    if (m_notifier) {
        ::close(int(m_notifier->socket()));
        ::close(s_writeFd);
        s_writeFd = -1;
    }
}

} // namespace atende::server::core
