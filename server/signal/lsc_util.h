#pragma once
// Internal helpers around libsignal-protocol-c's C API: reference-counted objects as unique_ptrs, buffers
// to and from QByteArray, libsignal's error numbers to our stable codes.

#include "common/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <memory>
#include <signal/signal_protocol.h>

namespace atende::server::signal::lsc {

struct Unref {
    void operator()(void *object) const
    {
        if (object)
            signal_type_unref(static_cast<signal_type_base *>(object));
    }
};
template <typename T> using Ref = std::unique_ptr<T, Unref>;

struct BufferFree {
    void operator()(signal_buffer *buffer) const { signal_buffer_bzero_free(buffer); }
};
using Buffer = std::unique_ptr<signal_buffer, BufferFree>;

struct StoreContextFree {
    void operator()(signal_protocol_store_context *context) const { signal_protocol_store_context_destroy(context); }
};
using StoreContext = std::unique_ptr<signal_protocol_store_context, StoreContextFree>;

inline QByteArray toBytes(const signal_buffer *buffer)
{
    if (!buffer)
        return {};
    return QByteArray(reinterpret_cast<const char *>(signal_buffer_const_data(buffer)),
                      qsizetype(signal_buffer_len(buffer)));
}

inline signal_buffer *toBuffer(QByteArrayView bytes)
{
    return signal_buffer_create(reinterpret_cast<const uint8_t *>(bytes.data()), size_t(bytes.size()));
}

inline const uint8_t *data(QByteArrayView bytes)
{
    static constexpr uint8_t kEmpty = 0;
    return bytes.isEmpty() ? &kEmpty : reinterpret_cast<const uint8_t *>(bytes.data());
}

// What failed (`what`, a fixed phrase, never data) and libsignal's return code → a stable error.
// `group` turns "no session" into "no sender key".
core::Error error(int rc, const char *what, bool group = false);

// A 32-byte key from the WhatsApp wire as libsignal wants it: 0x05 ‖ key (SIGNAL-INTEROP.md trap 1).
core::Result<Ref<ec_public_key>> decodeWireKey(QByteArrayView key, signal_context *context);
// A key pair from raw 32-byte private and public keys.
core::Result<Ref<ec_key_pair>> decodeKeyPair(QByteArrayView privateKey, QByteArrayView publicKey,
                                             signal_context *context);

} // namespace atende::server::signal::lsc
