#include "server/secrets/master_key_source.h"

namespace atende::server::secrets {

atende::core::Result<security::MasterKey> MasterKeySource::load(Create create) const
{
    if (!base64.trimmed().isEmpty())
        return security::MasterKey::fromBase64(base64.toLatin1());
    if (file.isEmpty())
        return atende::core::Error::make(atende::core::errc::kInvalidArgument,
                                         QStringLiteral("no master key configured (master_key_file or master_key)"));
    return create == Create::IfMissing ? security::MasterKey::loadOrCreateFile(file)
                                       : security::MasterKey::loadFile(file);
}

QString MasterKeySource::describe() const
{
    if (!base64.trimmed().isEmpty())
        return QStringLiteral("master_key (ATENDE_MASTER_KEY or config value)");
    return QStringLiteral("master key file %1").arg(file);
}

} // namespace atende::server::secrets
