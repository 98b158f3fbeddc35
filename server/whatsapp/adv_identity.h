#pragma once
// The companion's side of <pair-success> (PROTOCOL.md §5.2): check the HMAC made with our adv secret,
// check the primary's account signature over our identity key, add our device signature and build the
// <pair-device-sign> reply. Also the byte layouts both sides sign, so that the simulated phone
// (atende-wasim) can produce what we verify.

#include "common/core/result.h"
#include "server/whatsapp/node.h"
#include "server/whatsapp/proto/wa_adv.pb.h"

#include <QByteArray>
#include <QByteArrayView>

namespace atende::server::whatsapp {

class CurveSigner;

namespace adv {

inline constexpr char kAccountSignaturePrefix[] = {0x06, 0x00};
inline constexpr char kDeviceSignaturePrefix[] = {0x06, 0x01};
// Hosted accounts: account-signature prefix and HMAC prefix. (06 06, "hosted device", is defined by both
// reference clients but never used: devices always sign with 06 01.)
inline constexpr char kHostedAccountSignaturePrefix[] = {0x06, 0x05};

struct PairedIdentity {
    proto::ADVSignedDeviceIdentity identity; // the account: persist all four fields once signed
    proto::ADVDeviceIdentity details;        // parsed identity.details (key_index goes into the reply)
};

// HMAC-SHA256(advSecret, [06 05 if hosted] ‖ signedIdentityBytes).
QByteArray identityHmac(QByteArrayView signedIdentityBytes, QByteArrayView advSecret,
                        proto::ADVEncryptionType accountType);
// [06 05 if the device type is hosted, else 06 00] ‖ details ‖ identityPublicKey.
QByteArray accountSignatureMessage(QByteArrayView details, QByteArrayView identityPublicKey, bool hostedDevice);
// 06 01 ‖ details ‖ identityPublicKey ‖ accountSignatureKey.
QByteArray deviceSignatureMessage(QByteArrayView details, QByteArrayView identityPublicKey,
                                  QByteArrayView accountSignatureKey);

// Steps 1-4: parse the <device-identity> bytes (ADVSignedDeviceIdentityHMAC), check the HMAC in constant
// time and the account signature. Errors: wa_adv_malformed, wa_adv_hmac_mismatch, wa_adv_signature_mismatch.
core::Result<PairedIdentity> verifyPairSuccess(QByteArrayView deviceIdentityHmac, QByteArrayView advSecret,
                                               QByteArrayView identityPublicKey);
// Step 5: sets identity.device_signature with our identity key.
core::Status signDevice(PairedIdentity &paired, QByteArrayView identityPrivateKey, QByteArrayView identityPublicKey,
                        const CurveSigner &signer);
// Step 7: the identity as sent back, i.e. without account_signature_key.
QByteArray replyIdentityBytes(const proto::ADVSignedDeviceIdentity &identity);

// <iq to=S type="result" id><pair-device-sign><device-identity key-index>bytes</…></…></iq>
Node pairDeviceSignReply(const QString &iqId, const QByteArray &replyIdentity, quint32 keyIndex);
// <iq to=S type="error" id><error code text/></iq>, with 401/500 and the text chosen from `error`.
Node pairErrorReply(const QString &iqId, const core::Error &error);

} // namespace adv
} // namespace atende::server::whatsapp
