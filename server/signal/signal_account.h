#pragma once
// The Signal protocol state of one linked WhatsApp account and the operations on it: 1:1 sessions from
// prekey bundles, pkmsg/msg encryption and decryption (PROTOCOL.md §7.3–§7.5, §8.2) and sender keys for
// groups (§10). Built on libsignal-protocol-c; interoperates with Baileys' libsignal (SIGNAL-INTEROP.md).
//
// Bytes in, bytes out: WhatsApp's v="2" padding and the Message protobuf are the caller's (see
// server/whatsapp/message_content.h). Each operation is all-or-nothing: libsignal's store callbacks write
// into a scratch set of changes that is applied to the account and queued for the SignalStore only when the
// operation succeeds, so a failed decrypt leaves no half-written ratchet or identity behind. flush() writes
// the queue behind (see signal_store.h for when a caller must flush). Not thread-safe: one account is used
// from one thread at a time.
//
// Memory: an idle account holds no libsignal objects (store contexts, ciphers and keys live only for the
// duration of an operation), only bytes: its identity pair, registration id and signed prekey (~200 bytes),
// ~70 bytes per one-time prekey, one serialized record per peer device with a session (1,089 bytes measured
// after 40 messages with 5 skipped keys; libsignal also keeps up to 40 archived states when sessions are
// rebuilt, so those records grow), 33 bytes per peer identity and ~80 bytes per received group sender key
// (more while skipped keys wait), plus ~100 bytes of std::map node and key overhead per entry. The shared
// SignalContext is per process or per thread, not per account (test RecordSizesStaySmall prints the figures).

#include "common/core/result.h"
#include "server/signal/address.h"
#include "server/signal/prekey_bundle.h"
#include "server/signal/signal_state.h"
#include "server/whatsapp/credentials.h"

#include <QByteArray>
#include <QLatin1String>
#include <memory>
#include <optional>
#include <qcoro/qcorotask.h>

namespace atende::server::signal {

class SignalContext;
class SignalStore;
struct StoreBridge;
struct StoreCallbacks;

// The `type` attribute of `<enc>`. libsignal and Baileys number these differently, so only the names cross
// a process boundary (SIGNAL-INTEROP.md trap 4).
enum class EncType { PreKeyMessage, Message, SenderKeyMessage };
QLatin1String encTypeName(EncType type); // "pkmsg", "msg", "skmsg"
std::optional<EncType> parseEncType(QStringView name);

struct EncryptedMessage {
    EncType type = EncType::Message;
    QByteArray bytes; // the serialized Signal message, the content of <enc>
};

struct DecryptResult {
    QByteArray plaintext; // still padded (v="2")
    // The peer's identity key differs from the one stored for this address: WhatsApp trusts the new key
    // (as its apps do), but the conversation should say "the contact's security code changed".
    bool identityChanged = false;
    // The one-time prekey this pkmsg consumed (top up the server's supply, PROTOCOL.md §6.3).
    std::optional<quint32> consumedPreKeyId;
};

struct BundleResult {
    bool identityChanged = false; // as in DecryptResult
};

class SignalAccount {
public:
    // `context` must outlive the account; `store` (may be null, e.g. in tests) too.
    SignalAccount(SignalContext &context, SignalStore *store, const whatsapp::Credentials &credentials,
                  SignalSnapshot snapshot);
    ~SignalAccount();
    SignalAccount(const SignalAccount &) = delete;
    SignalAccount &operator=(const SignalAccount &) = delete;

    // 1:1 sessions
    bool hasSession(const SignalAddress &address) const;
    core::Result<BundleResult> processPreKeyBundle(const SignalAddress &address, const PreKeyBundle &bundle);
    core::Result<EncryptedMessage> encrypt(const SignalAddress &address, QByteArrayView plaintext);
    core::Result<DecryptResult> decrypt(const SignalAddress &address, EncType type, QByteArrayView bytes);
    // Forgets a session (identity reset, or a session moved from PN to LID addressing).
    void deleteSession(const SignalAddress &address);

    // Sender keys (groups). `self` is our own device's address (the sender-key owner for our messages).
    core::Status processSenderKeyDistribution(const QString &groupId, const SignalAddress &sender,
                                              QByteArrayView distributionMessage);
    core::Result<QByteArray> decryptGroup(const QString &groupId, const SignalAddress &sender, QByteArrayView bytes);
    // Our SKDM for the group (creates our sender key on first use); goes into
    // Message.senderKeyDistributionMessage of a DM to each member device that lacks it.
    core::Result<QByteArray> createSenderKeyDistribution(const QString &groupId, const SignalAddress &self);
    // An skmsg; createSenderKeyDistribution must have run for this group before.
    core::Result<QByteArray> encryptGroup(const QString &groupId, const SignalAddress &self, QByteArrayView plaintext);

    // One-time prekeys the Session generated and stored (SessionStore::savePreKeys) after this account was
    // built; they must be known before the server can hand them out.
    void addPreKeys(const QList<whatsapp::PreKeyRecord> &preKeys);
    qsizetype preKeyCount() const { return qsizetype(m_state.preKeys.size()); }

    // Write-behind: the changes of all successful operations since the last flush.
    bool hasPendingChanges() const { return !m_pending.isEmpty(); }
    SignalChanges takePendingChanges();
    // Hands the pending changes to the store; on failure they stay queued (merged before newer ones) for the
    // next flush. The account may be destroyed while the task runs (a runner's teardown does not wait for
    // the database): the task then touches nothing of it; the store's own task must not either.
    QCoro::Task<core::Status> flush();

private:
    friend struct StoreBridge;
    friend struct StoreCallbacks;

    struct State {
        std::map<SignalAddress, QByteArray> sessions;
        std::map<SignalAddress, QByteArray> identities;
        std::map<quint32, whatsapp::crypto::KeyPair> preKeys;
        std::map<SenderKeyName, QByteArray> senderKeys;
    };

    // Runs one operation against the scratch change set; commits it on success, drops it on failure.
    template <typename F> auto transact(F &&operation) -> decltype(operation())
    {
        m_op = SignalChanges();
        m_opIdentityChanged = false;
        auto result = operation();
        if (result.ok())
            commit();
        m_op = SignalChanges();
        m_opIdentityChanged = false;
        return result;
    }
    void commit();

    SignalContext &m_context;
    SignalStore *m_store = nullptr;
    whatsapp::crypto::KeyPair m_identity;
    quint32 m_registrationId = 0;
    whatsapp::SignedPreKey m_signedPreKey;
    State m_state;
    SignalChanges m_pending;
    // Scratch state of the running operation (empty between operations).
    SignalChanges m_op;
    bool m_opIdentityChanged = false;
    // What a flush checks when its store write resumes: the account may be gone by then.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace atende::server::signal
