// Retry receipts both ways (PROTOCOL.md §8.4): the one we send when a message does not decrypt (with our
// keys from the second try on), and answering one for a message we sent by re-encrypting it for the device
// that asked — from the plaintexts kept for a while (messenger_send.cpp).
#include "server/messenger/messenger_private.h"

#include "server/whatsapp/message_padding.h"

namespace atende::server::messenger {

using namespace whatsapp;

core::Status Messenger::Private::sendRetryReceipt(const IncomingMessage &m, int count)
{
    const Credentials &own = session.credentials();
    RetryReceipt retry;
    retry.base.id = m.id;
    retry.base.to = m.from;
    retry.base.participant = m.participant;
    retry.base.recipient = m.recipient;
    retry.base.category = m.category;
    retry.count = count;
    retry.messageTimestamp = m.timestamp;
    retry.registrationId = own.registrationId;
    if (count >= 2) {
        // From the second try on, hand the sender our keys so it can build a fresh session (§8.4). No
        // one-time prekey: the Session owns their supply; the signed prekey is enough for a session.
        PreKeyBundle keys;
        keys.device = ownPn();
        keys.registrationId = own.registrationId;
        keys.identityKey = own.identityKey.publicKey;
        keys.signedPreKeyId = own.signedPreKey.id;
        keys.signedPreKey = own.signedPreKey.keyPair.publicKey;
        keys.signedPreKeySignature = own.signedPreKey.signature;
        retry.keys = keys;
        retry.deviceIdentity = own.account;
    }
    auto node = buildRetryReceipt(retry);
    if (!node)
        return node.error();
    return session.send(*node);
}

QCoro::Task<> Messenger::Private::answerRetry(IncomingReceipt receipt)
{
    auto life = this->life;
    const IncomingRetry &retry = *receipt.retry;
    auto it = sent.constFind(receipt.id);
    if (it == sent.constEnd() || retry.count > 10) {
        qCInfo(lcMessenger) << "retry receipt for a message we no longer have (or too many retries)";
        co_return;
    }
    const SentMessage original = *it;
    const Jid device = receipt.from;
    const auto address = signal::addressForJid(device);
    if (!address)
        co_return;
    co_await sendLock.lock();
    if (!life->alive)
        co_return;
    LockHold holdingSend(life, sendLock);
    // Re-encrypting changes the Signal state and flushes it: not while a received message awaits its commit.
    co_await stateLock.lock();
    if (!life->alive)
        co_return;
    LockHold holdingState(life, stateLock);
    if (retry.keys) {
        PreKeyBundle keys = *retry.keys;
        auto processed = account.processPreKeyBundle(*address, toSignalBundle(keys));
        if (processed && processed->identityChanged)
            Q_EMIT q->identityChanged(userOf(device));
    } else if (!account.hasSession(*address) || retry.count >= 2) {
        auto ensuring = ensureSessions({device}, true);
        auto ready = co_await ensuring;
        if (!life->alive || !ready || ready->isEmpty())
            co_return;
    }
    const bool own = isOwnUser(device);
    const QByteArray plain = own ? buildDeviceSentMessage(userKey(original.chat), original.message) : original.message;
    auto encrypted = account.encrypt(*address, padMessageRandom(plain));
    if (!encrypted)
        co_return;
    OutgoingMessage out;
    out.id = receipt.id;
    out.to = device;
    out.type = original.type;
    out.deviceIdentity = session.credentials().account;
    out.retryCount = retry.count;
    out.originalTimestamp = original.timestamp > 0 ? original.timestamp : retry.timestamp;
    out.encs.push_back(OutgoingEnc{device, QString(signal::encTypeName(encrypted->type)), encrypted->bytes, {}});
    auto stanza = buildMessageStanza(out);
    if (!stanza)
        co_return;
    auto flushing = flush();
    const core::Status flushed = co_await flushing;
    if (!life->alive || !flushed)
        co_return;
    auto sending = session.query(*stanza, options.sendAckTimeout);
    core::Result<Node> acked = co_await sending;
    if (!life->alive)
        co_return;
    if (!acked)
        qCInfo(lcMessenger).noquote() << "retry resend not acked:" << acked.error().code;
}

} // namespace atende::server::messenger
