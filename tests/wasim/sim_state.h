#pragma once
// The simulated network's data: users (a phone number with its "phone", i.e. the account identity key
// pair) and their linked companion devices with the keys they registered. Plain values, no Qt objects,
// so that a thousand devices cost little. Message relay (issue 6) will add per-device queues here.

#include "server/whatsapp/crypto.h"
#include "server/whatsapp/node.h"

#include <QByteArray>
#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace atende::wasim {

struct SimUser {
    QString phone;                             // digits only, e.g. "15550000001"
    QString pushName;                          // shown as the phone's name
    QString lid;                               // LID user part, e.g. "88880000001"
    server::whatsapp::crypto::KeyPair account; // the phone's identity key: signs ADV identities
    quint32 rawId = 0;                         // ADVDeviceIdentity.rawID of this account
    quint16 nextDevice = 1;
    quint32 nextKeyIndex = 1;
};

// A stanza the server owes a device (message, receipt, notification) until the device acknowledges it:
// messages by a receipt, receipts and notifications by an <ack>. Kept in order; sentOn names the connection
// it was last written to (0 = not on any open connection), so that a release after "hold" or a new login
// knows what still has to go out.
struct OutboxEntry {
    server::whatsapp::Node stanza;
    quint64 sentOn = 0;
    qint64 queuedAt = 0; // unix seconds
};

// Per-device relay figures for tests (admin API "counters"); kept in memory only.
struct RelayCounters {
    quint64 sent = 0;      // messages this device sent that the server accepted
    quint64 relayed = 0;   // stanzas put into this device's outbox
    quint64 queued = 0;    // ... of which the device was offline or held at the time
    quint64 delivered = 0; // writes to the device's connection (redeliveries count again)
    quint64 acked = 0;     // outbox entries removed by the device's receipt or ack
    quint64 rejected = 0;  // stanzas from this device the server refused (ack with error)
};

struct SimDevice {
    QString phone;
    quint16 device = 0;
    quint32 keyIndex = 0;
    QByteArray noiseKey;    // the Noise static the device must log in with
    QByteArray identityKey; // Signal identity public key
    quint32 registrationId = 0;
    quint32 signedPreKeyId = 0;
    QByteArray signedPreKey;
    QByteArray signedPreKeySignature;
    std::map<quint32, QByteArray> preKeys; // one-time prekeys: id → public key, handed out once
    QByteArray account;                    // ADVSignedDeviceIdentity with all four fields
    QString platform;                      // DeviceProps.os at registration
    QString pushName;                      // from the login payload or presence
    bool available = false;                // last presence
    std::optional<int> nextLoginFailure;   // fault: answer the next login with <failure reason=N/>
    std::vector<OutboxEntry> outbox;       // owed stanzas, oldest first; durable with --state-dir
    bool holdDelivery = false;             // fault: queue as if offline although connected
    std::optional<int> dropAfter;          // fault: cut the connection after this many more deliveries
    RelayCounters counters;

    // "15550000001:5"
    QString key() const { return phone + u':' + QString::number(device); }
};

// Device key from a JID string or "phone:device"; nullopt when it names no device.
std::optional<QString> deviceKeyFromText(QStringView text);

} // namespace atende::wasim
