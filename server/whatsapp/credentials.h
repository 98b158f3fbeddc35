#pragma once
// Everything one linked WhatsApp account keeps between runs (PROTOCOL.md §3.3, §11.4), except the Signal
// session/prekey stores, which grow and live behind SessionStore. Generated once before the first
// connection; pairing fills in the account part. Serialized as our own protobuf (wa_credentials.proto);
// the product encrypts the bytes before they reach PostgreSQL, this library never writes them anywhere.

#include "common/core/result.h"
#include "server/whatsapp/crypto.h"
#include "server/whatsapp/jid.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace atende::server::whatsapp {

struct SignedPreKey {
    quint32 id = 0; // 24-bit on the wire
    crypto::KeyPair keyPair;
    QByteArray signature; // 64 bytes, identity key over 0x05 ‖ public key
};

struct PreKeyRecord {
    quint32 id = 0; // 24-bit, allocated sequentially, never reused
    crypto::KeyPair keyPair;
};

struct Credentials {
    // Before pairing (§3.3)
    crypto::KeyPair noiseKey;
    crypto::KeyPair identityKey;
    quint32 registrationId = 0; // 1..16380
    SignedPreKey signedPreKey;
    QByteArray advSecret; // 32 bytes; replaced by the derived one when pairing by code (§5.3)
    quint32 nextPreKeyId = 1;

    // After pairing (§5.2 step 6)
    std::optional<Jid> jid; // own PN device JID, e.g. 15551234567:5@s.whatsapp.net
    std::optional<Jid> lid; // own LID device JID
    QByteArray account;     // serialized ADVSignedDeviceIdentity, all four fields
    QString platform;       // the phone's platform, informational
    QString businessName;
    QString pushName;

    bool paired() const { return jid.has_value() && !account.isEmpty(); }

    // Fresh key material (noise and identity pairs, signed prekey 1, registration id, adv secret).
    static Credentials generate();
    QByteArray serialize() const;
    // wa_credentials_malformed when the bytes are not credentials written by serialize().
    static core::Result<Credentials> parse(QByteArrayView bytes);
};

} // namespace atende::server::whatsapp
