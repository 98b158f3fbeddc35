#pragma once
// The platform data key (table platform_keys, one row): a DataKey wrapped by the master key that encrypts
// platform-level secrets, e.g. the private halves of the JWT signing keys. Read and created as the
// connection's owner role, outside runTenant (the table has no grant for atende_app).
//
// checkWrappedBy() is the start-up guard against a wrong master key: a blob whose header names another
// master key id gives errc::kMasterKeyMismatch with both key ids (public fingerprints) in the message.

#include "common/core/result.h"
#include "server/security/data_key.h"
#include "server/security/master_key.h"

#include <QByteArrayView>
#include <QSqlDatabase>
#include <QString>

namespace atende::server::secrets {

class PlatformKey {
public:
    // Inside an open transaction: the platform data key, generated and stored on first use. Race-safe
    // (INSERT ... ON CONFLICT DO NOTHING, then read), so concurrent starters agree on one key.
    static atende::core::Result<security::DataKey> getOrCreate(QSqlDatabase &db, const security::MasterKey &master);
};

atende::core::Status checkWrappedBy(QByteArrayView wrapped, const security::MasterKey &master, const QString &where);

} // namespace atende::server::secrets
