#include "server/signal/signal_account.h"

#include "server/signal/error_codes.h"
#include "server/signal/logging.h"
#include "server/signal/signal_context.h"
#include "server/signal/signal_store.h"
#include "server/signal/store_bridge.h"

#include <signal/protocol.h>
#include <signal/session_builder.h>
#include <signal/session_cipher.h>
#include <signal/session_pre_key.h>

namespace atende::server::signal {

namespace {

// libsignal keeps a pointer to the address inside builders and ciphers; this keeps the name's bytes alive
// for the whole operation.
struct LscAddress {
    explicit LscAddress(const SignalAddress &address)
        : name(address.name.toUtf8())
        , value{name.constData(), size_t(name.size()), address.device}
    {}
    QByteArray name;
    signal_protocol_address value;
};

struct CipherFree {
    void operator()(session_cipher *cipher) const { session_cipher_free(cipher); }
};
struct BuilderFree {
    void operator()(session_builder *builder) const { session_builder_free(builder); }
};

} // namespace

QLatin1String encTypeName(EncType type)
{
    switch (type) {
    case EncType::PreKeyMessage: return QLatin1String("pkmsg");
    case EncType::Message: return QLatin1String("msg");
    case EncType::SenderKeyMessage: return QLatin1String("skmsg");
    }
    return QLatin1String("msg");
}

std::optional<EncType> parseEncType(QStringView name)
{
    if (name == u"pkmsg")
        return EncType::PreKeyMessage;
    if (name == u"msg")
        return EncType::Message;
    if (name == u"skmsg")
        return EncType::SenderKeyMessage;
    return std::nullopt;
}

SignalAccount::SignalAccount(SignalContext &context, SignalStore *store, const whatsapp::Credentials &credentials,
                             SignalSnapshot snapshot)
    : m_context(context)
    , m_store(store)
    , m_identity(credentials.identityKey)
    , m_registrationId(credentials.registrationId)
    , m_signedPreKey(credentials.signedPreKey)
{
    m_state.sessions = std::move(snapshot.sessions);
    m_state.identities = std::move(snapshot.identities);
    m_state.senderKeys = std::move(snapshot.senderKeys);
    addPreKeys(snapshot.preKeys);
}

SignalAccount::~SignalAccount()
{
    *m_alive = false;
}

void SignalAccount::commit()
{
    for (const SignalAddress &address : m_op.deletedSessions)
        m_state.sessions.erase(address);
    for (const auto &[address, record] : m_op.sessions)
        m_state.sessions.insert_or_assign(address, record);
    for (const auto &[address, key] : m_op.identities) {
        if (key.isEmpty())
            m_state.identities.erase(address);
        else
            m_state.identities.insert_or_assign(address, key);
    }
    for (quint32 id : m_op.removedPreKeys)
        m_state.preKeys.erase(id);
    for (const auto &[name, record] : m_op.senderKeys)
        m_state.senderKeys.insert_or_assign(name, record);
    m_pending.merge(std::move(m_op));
}

bool SignalAccount::hasSession(const SignalAddress &address) const
{
    // A record exists once a bundle was processed or a pkmsg decrypted; libsignal's contains_session also
    // checks for an open state, but records are only stored with one here.
    return m_state.sessions.contains(address);
}

core::Result<BundleResult> SignalAccount::processPreKeyBundle(const SignalAddress &address, const PreKeyBundle &bundle)
{
    return transact([&]() -> core::Result<BundleResult> {
        if (bundle.signedPreKeySignature.size() != 64)
            return core::Error::make(errc::kInvalidBundle, QStringLiteral("signed prekey signature must be 64 bytes"));
        signal_context *ctx = m_context.get();
        auto identity = lsc::decodeWireKey(bundle.identityKey, ctx);
        auto signedPreKey = lsc::decodeWireKey(bundle.signedPreKey, ctx);
        if (!identity || !signedPreKey)
            return core::Error::make(errc::kInvalidBundle, QStringLiteral("bundle key must be 32 bytes"));
        lsc::Ref<ec_public_key> oneTime;
        if (bundle.preKey) {
            auto key = lsc::decodeWireKey(bundle.preKey->key, ctx);
            if (!key)
                return core::Error::make(errc::kInvalidBundle, QStringLiteral("one-time prekey must be 32 bytes"));
            oneTime = std::move(key.value());
        }
        session_pre_key_bundle *raw = nullptr;
        int rc = session_pre_key_bundle_create(
            &raw, bundle.registrationId, address.device, bundle.preKey ? bundle.preKey->id : 0, oneTime.get(),
            bundle.signedPreKeyId, signedPreKey->get(), lsc::data(bundle.signedPreKeySignature),
            size_t(bundle.signedPreKeySignature.size()), identity->get());
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "prekey bundle rejected");
        lsc::Ref<session_pre_key_bundle> preKeyBundle(raw);
        auto store = StoreBridge::makeStoreContext(*this);
        if (!store)
            return store.error();
        const LscAddress peer(address);
        session_builder *builder = nullptr;
        rc = session_builder_create(&builder, store->get(), &peer.value, ctx);
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "session builder unavailable");
        std::unique_ptr<session_builder, BuilderFree> builderRef(builder);
        rc = session_builder_process_pre_key_bundle(builder, preKeyBundle.get());
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "prekey bundle rejected");
        return BundleResult{m_opIdentityChanged};
    });
}

core::Result<EncryptedMessage> SignalAccount::encrypt(const SignalAddress &address, QByteArrayView plaintext)
{
    return transact([&]() -> core::Result<EncryptedMessage> {
        if (!m_state.sessions.contains(address))
            return core::Error::make(errc::kNoSession, QStringLiteral("no session for the address"));
        auto store = StoreBridge::makeStoreContext(*this);
        if (!store)
            return store.error();
        const LscAddress peer(address);
        session_cipher *cipher = nullptr;
        int rc = session_cipher_create(&cipher, store->get(), &peer.value, m_context.get());
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "session cipher unavailable");
        std::unique_ptr<session_cipher, CipherFree> cipherRef(cipher);
        ciphertext_message *raw = nullptr;
        rc = session_cipher_encrypt(cipher, lsc::data(plaintext), size_t(plaintext.size()), &raw);
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "encryption failed");
        lsc::Ref<ciphertext_message> message(raw);
        const int type = ciphertext_message_get_type(raw);
        EncryptedMessage out;
        out.type = type == CIPHERTEXT_PREKEY_TYPE ? EncType::PreKeyMessage : EncType::Message;
        out.bytes = lsc::toBytes(ciphertext_message_get_serialized(raw));
        return out;
    });
}

core::Result<DecryptResult> SignalAccount::decrypt(const SignalAddress &address, EncType type, QByteArrayView bytes)
{
    return transact([&]() -> core::Result<DecryptResult> {
        if (type == EncType::SenderKeyMessage)
            return core::Error::make(errc::kInvalidType, QStringLiteral("skmsg goes to decryptGroup"));
        if (bytes.size() < 2)
            return core::Error::make(errc::kInvalidMessage, QStringLiteral("message too short"));
        signal_context *ctx = m_context.get();
        auto store = StoreBridge::makeStoreContext(*this);
        if (!store)
            return store.error();
        const LscAddress peer(address);
        session_cipher *cipher = nullptr;
        int rc = session_cipher_create(&cipher, store->get(), &peer.value, ctx);
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "session cipher unavailable");
        std::unique_ptr<session_cipher, CipherFree> cipherRef(cipher);
        signal_buffer *plain = nullptr;
        if (type == EncType::PreKeyMessage) {
            pre_key_signal_message *message = nullptr;
            rc = pre_key_signal_message_deserialize(&message, lsc::data(bytes), size_t(bytes.size()), ctx);
            if (rc != SG_SUCCESS)
                return lsc::error(rc, "pkmsg undecodable");
            lsc::Ref<pre_key_signal_message> ref(message);
            rc = session_cipher_decrypt_pre_key_signal_message(cipher, message, nullptr, &plain);
        } else {
            if (!m_state.sessions.contains(address))
                return core::Error::make(errc::kNoSession, QStringLiteral("no session for the address"));
            signal_message *message = nullptr;
            rc = signal_message_deserialize(&message, lsc::data(bytes), size_t(bytes.size()), ctx);
            if (rc != SG_SUCCESS)
                return lsc::error(rc, "msg undecodable");
            lsc::Ref<signal_message> ref(message);
            rc = session_cipher_decrypt_signal_message(cipher, message, nullptr, &plain);
        }
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "decryption failed");
        lsc::Buffer plainRef(plain);
        DecryptResult out;
        out.plaintext = lsc::toBytes(plain);
        out.identityChanged = m_opIdentityChanged;
        if (!m_op.removedPreKeys.empty())
            out.consumedPreKeyId = *m_op.removedPreKeys.begin();
        return out;
    });
}

void SignalAccount::deleteSession(const SignalAddress &address)
{
    if (m_state.sessions.erase(address) == 0)
        return;
    SignalChanges change;
    change.deletedSessions.insert(address);
    m_pending.merge(std::move(change));
}

void SignalAccount::addPreKeys(const QList<whatsapp::PreKeyRecord> &preKeys)
{
    for (const whatsapp::PreKeyRecord &preKey : preKeys)
        m_state.preKeys.insert_or_assign(preKey.id, preKey.keyPair);
}

SignalChanges SignalAccount::takePendingChanges()
{
    return std::exchange(m_pending, SignalChanges());
}

QCoro::Task<core::Status> SignalAccount::flush()
{
    if (!m_store)
        co_return core::Error::make(errc::kInternal, QStringLiteral("account has no store"));
    if (m_pending.isEmpty())
        co_return core::Status();
    SignalChanges changes = takePendingChanges();
    SignalChanges copy = changes; // kept for a retry: the store may fail after taking its argument
    const std::shared_ptr<bool> alive = m_alive;
    auto task = m_store->flush(std::move(changes));
    core::Status status = co_await task;
    if (!*alive)
        co_return status; // the account was destroyed during the write (a runner's teardown)
    if (!status.ok()) {
        qCWarning(lcSignal) << "signal state flush failed:" << status.error().code;
        copy.merge(std::move(m_pending));
        m_pending = std::move(copy);
    }
    co_return status;
}

} // namespace atende::server::signal
