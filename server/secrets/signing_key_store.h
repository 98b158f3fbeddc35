#pragma once
// JWT signing keys persisted in signing_keys and shared by every server instance. A key signs from
// activates_at until retires_at (activates_at + rotateAfterDays) and still verifies until expires_at
// (retires_at + retainDays, which must exceed the access-token lifetime). Private keys are stored only
// encrypted with the platform data key (PlatformKey), associated data "signing_keys/<kid>".
//
// load() returns a KeyRing with the active key (private half, signs) and every other unexpired key
// (public half, verifies). When no key is active it creates one under a transaction-scoped advisory lock
// and re-reads after taking it, so instances starting together end up with the same active kid. The usual
// call is two SELECTs and no write, so it is also the reload path: an instance that meets an unknown kid
// (another instance rotated) calls load() again and swaps its ring. Run it as the owner role, outside
// runTenant and outside any open transaction.

#include "common/core/result.h"
#include "server/security/key_ring.h"
#include "server/security/master_key.h"

#include <QDateTime>
#include <QSqlDatabase>

namespace atende::server::secrets {

struct SigningKeyPolicy {
    int rotateAfterDays = 30;
    int retainDays = 2; // access tokens live at most 1 day
};

class SigningKeyStore {
public:
    using Policy = SigningKeyPolicy;

    static atende::core::Result<security::KeyRing> load(QSqlDatabase &db, const security::MasterKey &master,
                                                        const QDateTime &now, const Policy &policy = Policy());

    // The associated data of a stored private key.
    static QByteArray associatedData(const QString &kid);
};

} // namespace atende::server::secrets
