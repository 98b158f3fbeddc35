#include "server/signal/signal_context.h"

#include "server/signal/logging.h"
#include "server/whatsapp/signal_crypto_provider.h"

#include <signal/signal_protocol.h>

namespace atende::server::signal {

namespace {

// The context hands its user data (our mutex) to the lock callbacks.
void lockFunc(void *userData)
{
    static_cast<std::recursive_mutex *>(userData)->lock();
}

void unlockFunc(void *userData)
{
    static_cast<std::recursive_mutex *>(userData)->unlock();
}

// libsignal's messages name the failure ("Received message with old counter"), never key material; they
// go to debug level since every failure also comes back to the caller as an error code.
void logFunc(int level, const char *message, size_t len, void *)
{
    const QString text = QString::fromUtf8(message, qsizetype(len));
    if (level <= SG_LOG_WARNING)
        qCDebug(lcSignal) << "libsignal warning:" << text;
    else
        qCDebug(lcSignal) << "libsignal:" << text;
}

} // namespace

SignalContext::SignalContext()
{
    const signal_crypto_provider provider = whatsapp::opensslSignalCryptoProvider();
    if (signal_context_create(&m_context, &m_mutex) != 0 ||
        signal_context_set_crypto_provider(m_context, &provider) != 0 ||
        signal_context_set_locking_functions(m_context, lockFunc, unlockFunc) != 0 ||
        signal_context_set_log_function(m_context, logFunc) != 0) {
        qCCritical(lcSignal) << "libsignal context setup failed";
        if (m_context)
            signal_context_destroy(m_context);
        m_context = nullptr;
    }
}

SignalContext::~SignalContext()
{
    if (m_context)
        signal_context_destroy(m_context);
}

} // namespace atende::server::signal
