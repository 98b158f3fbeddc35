#pragma once
// Master key rotation (atende-server admin rotate-master-key): every wrapped key in tenant_keys and
// platform_keys is unwrapped with the current master key and wrapped again with the new one, in one
// transaction, so the database never holds a mix. Blobs already wrapped by the new key are left alone, so
// an interrupted or repeated run is harmless; a blob wrapped by a third key aborts the whole rotation.
// Data encrypted with the data keys is untouched (the data keys themselves do not change).
//
// Runs as the owner role, which must see every tenant's row: a superuser or a BYPASSRLS role, otherwise
// errc::kRotationNeedsBypassRls (Row-Level Security would hide rows and leave them wrapped by the old key).

#include "common/core/result.h"
#include "server/security/master_key.h"

#include <QSqlDatabase>

namespace atende::server::secrets {

struct RotationReport {
    int rewrapped = 0;      // rows now wrapped by the new key that were not before
    int alreadyRotated = 0; // rows that already were (an earlier, interrupted run)
    int tenantKeys = 0;     // rows of tenant_keys looked at
    int platformKeys = 0;   // rows of platform_keys looked at (0 or 1)
};

class MasterKeyRotation {
public:
    static atende::core::Result<RotationReport> run(QSqlDatabase &db, const security::MasterKey &current,
                                                    const security::MasterKey &next);
};

} // namespace atende::server::secrets
