#pragma once
// The ClientPayload sent inside the Noise ClientFinish (PROTOCOL.md §3): registration for unpaired
// credentials (with DevicePairingRegistrationData), login for paired ones.

#include "server/whatsapp/credentials.h"
#include "server/whatsapp/session.h"

#include <QByteArray>

namespace atende::server::whatsapp {

// MD5 of "primary.secondary.tertiary" (§3.3 buildHash).
QByteArray clientBuildHash(const SessionConfig &config);
// Serialized ClientPayload with device_pairing_data, passive=false, pull=false (§3.1, §3.3).
QByteArray registrationPayload(const Credentials &credentials, const SessionConfig &config);
// Serialized ClientPayload with username/device from the own JID, passive=true, pull=true, lc=1.
// Requires credentials.paired().
QByteArray loginPayload(const Credentials &credentials, const SessionConfig &config);

} // namespace atende::server::whatsapp
