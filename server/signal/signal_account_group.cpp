// Sender keys (PROTOCOL.md §10): a group member's SKDM arrives inside a 1:1 message, then its skmsgs
// decrypt with the sender key named (group JID, sender device address).

#include "server/signal/error_codes.h"
#include "server/signal/signal_account.h"
#include "server/signal/signal_context.h"
#include "server/signal/store_bridge.h"

#include <signal/group_cipher.h>
#include <signal/group_session_builder.h>
#include <signal/protocol.h>

namespace atende::server::signal {

namespace {

// libsignal keeps pointers into the name during an operation; this owns the bytes.
struct LscSenderKeyName {
    LscSenderKeyName(const QString &groupId, const SignalAddress &sender)
        : group(groupId.toUtf8())
        , name(sender.name.toUtf8())
        , value{group.constData(), size_t(group.size()), {name.constData(), size_t(name.size()), sender.device}}
    {}
    QByteArray group;
    QByteArray name;
    signal_protocol_sender_key_name value;
};

struct GroupBuilderFree {
    void operator()(group_session_builder *builder) const { group_session_builder_free(builder); }
};
using GroupBuilder = std::unique_ptr<group_session_builder, GroupBuilderFree>;

struct GroupCipherFree {
    void operator()(group_cipher *cipher) const { group_cipher_free(cipher); }
};
using GroupCipher = std::unique_ptr<group_cipher, GroupCipherFree>;

core::Result<GroupBuilder> makeBuilder(signal_protocol_store_context *store, signal_context *context)
{
    group_session_builder *builder = nullptr;
    const int rc = group_session_builder_create(&builder, store, context);
    if (rc != SG_SUCCESS)
        return lsc::error(rc, "group session builder unavailable");
    return GroupBuilder(builder);
}

core::Result<GroupCipher> makeCipher(signal_protocol_store_context *store, const signal_protocol_sender_key_name *name,
                                     signal_context *context)
{
    group_cipher *cipher = nullptr;
    const int rc = group_cipher_create(&cipher, store, name, context);
    if (rc != SG_SUCCESS)
        return lsc::error(rc, "group cipher unavailable", true);
    return GroupCipher(cipher);
}

} // namespace

core::Status SignalAccount::processSenderKeyDistribution(const QString &groupId, const SignalAddress &sender,
                                                         QByteArrayView distributionMessage)
{
    return transact([&]() -> core::Status {
        if (distributionMessage.size() < 2)
            return core::Error::make(errc::kInvalidMessage, QStringLiteral("distribution message too short"));
        signal_context *ctx = m_context.get();
        sender_key_distribution_message *raw = nullptr;
        int rc = sender_key_distribution_message_deserialize(&raw, lsc::data(distributionMessage),
                                                             size_t(distributionMessage.size()), ctx);
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "distribution message undecodable", true);
        lsc::Ref<sender_key_distribution_message> message(raw);
        auto store = StoreBridge::makeStoreContext(*this);
        if (!store)
            return store.error();
        auto builder = makeBuilder(store->get(), ctx);
        if (!builder)
            return builder.error();
        const LscSenderKeyName name(groupId, sender);
        rc = group_session_builder_process_session(builder->get(), &name.value, raw);
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "distribution message rejected", true);
        return core::Status();
    });
}

core::Result<QByteArray> SignalAccount::decryptGroup(const QString &groupId, const SignalAddress &sender,
                                                     QByteArrayView bytes)
{
    return transact([&]() -> core::Result<QByteArray> {
        if (bytes.size() < 2)
            return core::Error::make(errc::kInvalidMessage, QStringLiteral("skmsg too short"));
        const LscSenderKeyName name(groupId, sender);
        if (!m_state.senderKeys.contains(SenderKeyName{groupId, sender}))
            return core::Error::make(errc::kNoSenderKey, QStringLiteral("no sender key for the group sender"));
        signal_context *ctx = m_context.get();
        sender_key_message *raw = nullptr;
        int rc = sender_key_message_deserialize(&raw, lsc::data(bytes), size_t(bytes.size()), ctx);
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "skmsg undecodable", true);
        lsc::Ref<sender_key_message> message(raw);
        auto store = StoreBridge::makeStoreContext(*this);
        if (!store)
            return store.error();
        auto cipher = makeCipher(store->get(), &name.value, ctx);
        if (!cipher)
            return cipher.error();
        signal_buffer *plain = nullptr;
        rc = group_cipher_decrypt(cipher->get(), raw, nullptr, &plain);
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "group decryption failed", true);
        lsc::Buffer plainRef(plain);
        return lsc::toBytes(plain);
    });
}

core::Result<QByteArray> SignalAccount::createSenderKeyDistribution(const QString &groupId, const SignalAddress &self)
{
    return transact([&]() -> core::Result<QByteArray> {
        signal_context *ctx = m_context.get();
        auto store = StoreBridge::makeStoreContext(*this);
        if (!store)
            return store.error();
        auto builder = makeBuilder(store->get(), ctx);
        if (!builder)
            return builder.error();
        const LscSenderKeyName name(groupId, self);
        sender_key_distribution_message *raw = nullptr;
        const int rc = group_session_builder_create_session(builder->get(), &raw, &name.value);
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "sender key creation failed", true);
        lsc::Ref<sender_key_distribution_message> message(raw);
        return lsc::toBytes(ciphertext_message_get_serialized(reinterpret_cast<ciphertext_message *>(raw)));
    });
}

core::Result<QByteArray> SignalAccount::encryptGroup(const QString &groupId, const SignalAddress &self,
                                                     QByteArrayView plaintext)
{
    return transact([&]() -> core::Result<QByteArray> {
        if (!m_state.senderKeys.contains(SenderKeyName{groupId, self}))
            return core::Error::make(errc::kNoSenderKey, QStringLiteral("create the sender key first"));
        signal_context *ctx = m_context.get();
        auto store = StoreBridge::makeStoreContext(*this);
        if (!store)
            return store.error();
        const LscSenderKeyName name(groupId, self);
        auto cipher = makeCipher(store->get(), &name.value, ctx);
        if (!cipher)
            return cipher.error();
        ciphertext_message *raw = nullptr;
        const int rc = group_cipher_encrypt(cipher->get(), lsc::data(plaintext), size_t(plaintext.size()), &raw);
        if (rc != SG_SUCCESS)
            return lsc::error(rc, "group encryption failed", true);
        lsc::Ref<ciphertext_message> message(raw);
        return lsc::toBytes(ciphertext_message_get_serialized(raw));
    });
}

} // namespace atende::server::signal
