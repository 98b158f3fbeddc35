#pragma once
// Where the master key comes from (config keys master_key and master_key_file): a base64 value, which wins
// when set (ATENDE_MASTER_KEY through the usual config precedence), or a key file, created on first run
// with mode 0600 (MasterKey::loadOrCreateFile; a file readable by group or others is refused). Plain data
// so the composition root fills it from ServerConfig and this module does not depend on server/core.

#include "common/core/result.h"
#include "server/security/master_key.h"

#include <QString>

namespace atende::server::secrets {

struct MasterKeySource {
    QString file;   // path of the key file
    QString base64; // the key itself; when non-empty the file is ignored

    enum class Create { IfMissing, Never };

    // Create::Never for tools that must not invent a key (the current key of a rotation).
    atende::core::Result<security::MasterKey> load(Create create = Create::IfMissing) const;
    // "master_key (environment/config value)" or "master key file <path>", for messages.
    QString describe() const;
};

} // namespace atende::server::secrets
