// libsignal's store callbacks, served from a SignalAccount's memory. Reads see the running operation's
// scratch changes first (a session stored earlier in the same operation, a prekey it removed), then the
// committed state; writes go only to the scratch changes, which SignalAccount commits or drops.

#include "server/signal/store_bridge.h"

#include "server/signal/signal_account.h"
#include "server/signal/signal_context.h"

#include <climits>
#include <set>
#include <signal/session_pre_key.h>

namespace atende::server::signal {

namespace {

SignalAddress fromLsc(const signal_protocol_address *address)
{
    return SignalAddress{QString::fromUtf8(address->name, qsizetype(address->name_len)), address->device_id};
}

SenderKeyName fromLsc(const signal_protocol_sender_key_name *name)
{
    return SenderKeyName{QString::fromUtf8(name->group_id, qsizetype(name->group_id_len)), fromLsc(&name->sender)};
}

QByteArray bytes(const uint8_t *data, size_t len)
{
    return data ? QByteArray(reinterpret_cast<const char *>(data), qsizetype(len)) : QByteArray();
}

// Writes a copy for libsignal, which frees it.
int hand(signal_buffer **out, QByteArrayView value)
{
    *out = lsc::toBuffer(value);
    return *out ? SG_SUCCESS : SG_ERR_NOMEM;
}

template <typename Key>
const QByteArray *lookup(const std::map<Key, QByteArray> &scratch, const std::map<Key, QByteArray> &committed,
                         const Key &key)
{
    if (const auto it = scratch.find(key); it != scratch.end())
        return &it->second;
    if (const auto it = committed.find(key); it != committed.end())
        return &it->second;
    return nullptr;
}

} // namespace

struct StoreCallbacks {
    static SignalAccount &account(void *userData) { return *static_cast<SignalAccount *>(userData); }

    static const QByteArray *session(SignalAccount &a, const SignalAddress &address)
    {
        if (a.m_op.deletedSessions.contains(address))
            return nullptr;
        return lookup(a.m_op.sessions, a.m_state.sessions, address);
    }

    // Session store: load/contains return 1 when found, 0 when not.
    static int loadSession(signal_buffer **record, signal_buffer **, const signal_protocol_address *address, void *ud)
    {
        const QByteArray *found = session(account(ud), fromLsc(address));
        if (!found)
            return 0;
        return hand(record, *found) == SG_SUCCESS ? 1 : SG_ERR_NOMEM;
    }

    static int subDeviceSessions(signal_int_list **sessions, const char *name, size_t nameLen, void *ud)
    {
        SignalAccount &a = account(ud);
        const QString user = QString::fromUtf8(name, qsizetype(nameLen));
        std::set<qint32> devices;
        const auto collect = [&](const std::map<SignalAddress, QByteArray> &map) {
            for (auto it = map.lower_bound(SignalAddress{user, INT_MIN}); it != map.end() && it->first.name == user;
                 ++it) {
                if (!a.m_op.deletedSessions.contains(it->first))
                    devices.insert(it->first.device);
            }
        };
        collect(a.m_state.sessions);
        collect(a.m_op.sessions);
        signal_int_list *list = signal_int_list_alloc();
        if (!list)
            return SG_ERR_NOMEM;
        for (qint32 device : devices)
            signal_int_list_push_back(list, device);
        *sessions = list;
        return int(devices.size());
    }

    static int storeSession(const signal_protocol_address *address, uint8_t *record, size_t len, uint8_t *, size_t,
                            void *ud)
    {
        SignalAccount &a = account(ud);
        const SignalAddress key = fromLsc(address);
        a.m_op.deletedSessions.erase(key);
        a.m_op.sessions.insert_or_assign(key, bytes(record, len));
        return SG_SUCCESS;
    }

    static int containsSession(const signal_protocol_address *address, void *ud)
    {
        return session(account(ud), fromLsc(address)) ? 1 : 0;
    }

    static int deleteSession(const signal_protocol_address *address, void *ud)
    {
        SignalAccount &a = account(ud);
        const SignalAddress key = fromLsc(address);
        const bool existed = session(a, key) != nullptr;
        a.m_op.sessions.erase(key);
        a.m_op.deletedSessions.insert(key);
        return existed ? 1 : 0;
    }

    static int deleteAllSessions(const char *name, size_t nameLen, void *ud)
    {
        signal_int_list *devices = nullptr;
        const int count = subDeviceSessions(&devices, name, nameLen, ud);
        if (count < 0)
            return count;
        for (unsigned i = 0; i < signal_int_list_size(devices); ++i) {
            const signal_protocol_address address{name, nameLen, signal_int_list_at(devices, i)};
            deleteSession(&address, ud);
        }
        signal_int_list_free(devices);
        return count;
    }

    // One-time prekeys are kept as raw key pairs (64 bytes) and turned into libsignal records on demand.
    static int loadPreKey(signal_buffer **record, uint32_t id, void *ud)
    {
        SignalAccount &a = account(ud);
        const auto it = a.m_state.preKeys.find(id);
        if (it == a.m_state.preKeys.end() || a.m_op.removedPreKeys.contains(id))
            return SG_ERR_INVALID_KEY_ID;
        auto pair = lsc::decodeKeyPair(it->second.privateKey, it->second.publicKey, a.m_context.get());
        if (!pair)
            return SG_ERR_INVALID_KEY_ID;
        session_pre_key *preKey = nullptr;
        int rc = session_pre_key_create(&preKey, id, pair->get());
        if (rc != SG_SUCCESS)
            return rc;
        lsc::Ref<session_pre_key> preKeyRef(preKey);
        return session_pre_key_serialize(record, preKey);
    }

    static int containsPreKey(uint32_t id, void *ud)
    {
        SignalAccount &a = account(ud);
        return a.m_state.preKeys.contains(id) && !a.m_op.removedPreKeys.contains(id) ? 1 : 0;
    }

    static int removePreKey(uint32_t id, void *ud)
    {
        SignalAccount &a = account(ud);
        if (a.m_state.preKeys.contains(id))
            a.m_op.removedPreKeys.insert(id);
        return SG_SUCCESS;
    }

    // Prekeys come from Credentials / the Session, never from libsignal: nothing we call stores one.
    static int refuseStorePreKey(uint32_t, uint8_t *, size_t, void *) { return SG_ERR_UNKNOWN; }

    static int loadSignedPreKey(signal_buffer **record, uint32_t id, void *ud)
    {
        SignalAccount &a = account(ud);
        const whatsapp::SignedPreKey &spk = a.m_signedPreKey;
        if (id != spk.id)
            return SG_ERR_INVALID_KEY_ID;
        auto pair = lsc::decodeKeyPair(spk.keyPair.privateKey, spk.keyPair.publicKey, a.m_context.get());
        if (!pair)
            return SG_ERR_INVALID_KEY_ID;
        session_signed_pre_key *signedPreKey = nullptr;
        int rc = session_signed_pre_key_create(&signedPreKey, id, 0, pair->get(), lsc::data(spk.signature),
                                               size_t(spk.signature.size()));
        if (rc != SG_SUCCESS)
            return rc;
        lsc::Ref<session_signed_pre_key> ref(signedPreKey);
        return session_signed_pre_key_serialize(record, signedPreKey);
    }

    static int containsSignedPreKey(uint32_t id, void *ud) { return id == account(ud).m_signedPreKey.id ? 1 : 0; }
    static int refuseStoreSignedPreKey(uint32_t, uint8_t *, size_t, void *) { return SG_ERR_UNKNOWN; }
    static int refuseRemoveSignedPreKey(uint32_t, void *) { return SG_ERR_UNKNOWN; }

    static int identityKeyPair(signal_buffer **publicData, signal_buffer **privateData, void *ud)
    {
        SignalAccount &a = account(ud);
        QByteArray pub;
        pub.reserve(33);
        pub.append(char(0x05)); // libsignal's serialized form of a curve25519 public key
        pub.append(a.m_identity.publicKey);
        if (hand(publicData, pub) != SG_SUCCESS)
            return SG_ERR_NOMEM;
        return hand(privateData, a.m_identity.privateKey);
    }

    static int registrationId(void *ud, uint32_t *id)
    {
        *id = account(ud).m_registrationId;
        return SG_SUCCESS;
    }

    // Trust on first use and on change, as WhatsApp does (SIGNAL-INTEROP.md trap 15); a change is noted so
    // the operation can report it.
    static int saveIdentity(const signal_protocol_address *address, uint8_t *key, size_t len, void *ud)
    {
        SignalAccount &a = account(ud);
        const SignalAddress peer = fromLsc(address);
        QByteArray value = bytes(key, len);
        const QByteArray *known = lookup(a.m_op.identities, a.m_state.identities, peer);
        if (known && !known->isEmpty() && !value.isEmpty() && *known != value)
            a.m_opIdentityChanged = true;
        a.m_op.identities.insert_or_assign(peer, std::move(value));
        return SG_SUCCESS;
    }

    static int isTrustedIdentity(const signal_protocol_address *, uint8_t *, size_t, void *) { return 1; }

    static int storeSenderKey(const signal_protocol_sender_key_name *name, uint8_t *record, size_t len, uint8_t *,
                              size_t, void *ud)
    {
        account(ud).m_op.senderKeys.insert_or_assign(fromLsc(name), bytes(record, len));
        return SG_SUCCESS;
    }

    static int loadSenderKey(signal_buffer **record, signal_buffer **, const signal_protocol_sender_key_name *name,
                             void *ud)
    {
        SignalAccount &a = account(ud);
        const QByteArray *found = lookup(a.m_op.senderKeys, a.m_state.senderKeys, fromLsc(name));
        if (!found)
            return 0;
        return hand(record, *found) == SG_SUCCESS ? 1 : SG_ERR_NOMEM;
    }
};

core::Result<lsc::StoreContext> StoreBridge::makeStoreContext(SignalAccount &account)
{
    signal_protocol_store_context *raw = nullptr;
    if (!account.m_context.get() || signal_protocol_store_context_create(&raw, account.m_context.get()) != 0)
        return lsc::error(SG_ERR_NOMEM, "store context unavailable");
    lsc::StoreContext context(raw);
    using C = StoreCallbacks;
    const signal_protocol_session_store sessions{
        C::loadSession,   C::subDeviceSessions, C::storeSession, C::containsSession,
        C::deleteSession, C::deleteAllSessions, nullptr,         &account};
    const signal_protocol_pre_key_store preKeys{
        C::loadPreKey, C::refuseStorePreKey, C::containsPreKey, C::removePreKey, nullptr, &account};
    const signal_protocol_signed_pre_key_store signedPreKeys{C::loadSignedPreKey,
                                                             C::refuseStoreSignedPreKey,
                                                             C::containsSignedPreKey,
                                                             C::refuseRemoveSignedPreKey,
                                                             nullptr,
                                                             &account};
    const signal_protocol_identity_key_store identities{C::identityKeyPair,   C::registrationId, C::saveIdentity,
                                                        C::isTrustedIdentity, nullptr,           &account};
    const signal_protocol_sender_key_store senderKeys{C::storeSenderKey, C::loadSenderKey, nullptr, &account};
    if (signal_protocol_store_context_set_session_store(raw, &sessions) != 0 ||
        signal_protocol_store_context_set_pre_key_store(raw, &preKeys) != 0 ||
        signal_protocol_store_context_set_signed_pre_key_store(raw, &signedPreKeys) != 0 ||
        signal_protocol_store_context_set_identity_key_store(raw, &identities) != 0 ||
        signal_protocol_store_context_set_sender_key_store(raw, &senderKeys) != 0)
        return lsc::error(SG_ERR_NOMEM, "store context setup failed");
    return context;
}

} // namespace atende::server::signal
