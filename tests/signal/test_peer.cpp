#include "test_peer.h"

#include "tests/support/await.h"

namespace atende::test {

using namespace server::signal;
using server::whatsapp::Credentials;
using server::whatsapp::PreKeyRecord;

TestPeer::TestPeer(SignalContext &context_, SignalAddress address_, int preKeyCount)
    : context(context_)
    , address(std::move(address_))
{
    create(preKeyCount);
}

void TestPeer::create(int preKeyCount)
{
    credentials = Credentials::generate();
    preKeys.clear();
    for (int i = 0; i < preKeyCount; ++i)
        preKeys.append(PreKeyRecord{credentials.nextPreKeyId++, server::whatsapp::crypto::generateX25519KeyPair()});
    SignalSnapshot initial;
    initial.preKeys = preKeys;
    store = std::make_unique<MemorySignalStore>(std::move(initial));
    account.reset();
    restart();
}

void TestPeer::reinstall()
{
    create(int(preKeys.size()));
}

PreKeyBundle TestPeer::bundle(std::optional<int> preKeyIndex) const
{
    PreKeyBundle b;
    b.registrationId = credentials.registrationId;
    b.identityKey = credentials.identityKey.publicKey;
    b.signedPreKeyId = credentials.signedPreKey.id;
    b.signedPreKey = credentials.signedPreKey.keyPair.publicKey;
    b.signedPreKeySignature = credentials.signedPreKey.signature;
    if (preKeyIndex)
        b.preKey = PreKeyBundle::OneTime{preKeys.at(*preKeyIndex).id, preKeys.at(*preKeyIndex).keyPair.publicKey};
    return b;
}

void TestPeer::restart()
{
    if (account) {
        const core::Status flushed = await(account->flush());
        if (!flushed.ok())
            qFatal("TestPeer::restart: flush failed");
    }
    account.reset();
    core::Result<SignalSnapshot> snapshot = await(store->load());
    account = std::make_unique<SignalAccount>(context, store.get(), credentials, std::move(snapshot.value()));
}

} // namespace atende::test
