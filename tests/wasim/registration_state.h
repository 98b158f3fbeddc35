#pragma once
// What a registration connection (ClientPayload with devicePairingData, PROTOCOL.md §3.3, §5) carries
// until the phone links it: the companion's keys, the QR refs handed out, and the in-flight pair-success
// or pairing-code exchange.

#include "server/whatsapp/crypto.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace atende::wasim {

struct RegistrationState {
    // From DevicePairingRegistrationData
    QByteArray identityKey;
    quint32 registrationId = 0;
    quint32 signedPreKeyId = 0;
    QByteArray signedPreKey;
    QByteArray signedPreKeySignature;
    QString platform; // DeviceProps.os
    QString pushName;

    QStringList refs;       // refs of the pair-device iq
    QString pairDeviceIqId; // waiting for its result
    bool pairDeviceAcked = false;

    // pair-success sent, waiting for pair-device-sign
    QString pairSuccessIqId;
    QString phone;
    quint16 device = 0;
    quint32 keyIndex = 0;
    QByteArray details;          // ADVDeviceIdentity bytes
    QByteArray accountSignature; // what we sent, for the stored account

    // Pairing by code (§5.3)
    QString codePhone;                    // jid user of companion_hello
    QByteArray wrappedCompanionEphemeral; // 80 bytes
    QString codeRef;                      // link_code_pairing_ref we issued
    QByteArray companionEphemeral;        // unwrapped once the phone entered the code
    server::whatsapp::crypto::KeyPair primaryEphemeral;
};

} // namespace atende::wasim
