#include "tests/whatsapp/memory_session_store.h"

namespace atende::test {

using server::whatsapp::Credentials;
using server::whatsapp::PreKeyRecord;

QCoro::Task<core::Status> MemorySessionStore::saveCredentials(const Credentials &credentials)
{
    if (failSaves)
        co_return core::Error::make(core::errc::kUnavailable, QStringLiteral("store down (test)"));
    credentialBytes = credentials.serialize();
    ++credentialSaves;
    co_return core::Status{};
}

QCoro::Task<core::Status> MemorySessionStore::savePreKeys(const QList<PreKeyRecord> &records)
{
    if (failSaves)
        co_return core::Error::make(core::errc::kUnavailable, QStringLiteral("store down (test)"));
    for (const PreKeyRecord &record : records) {
        if (record.keyPair.privateKey.size() != 32)
            co_return core::Error::make(core::errc::kInvalidArgument, QStringLiteral("prekey without private part"));
        if (preKeys.contains(record.id))
            co_return core::Error::make(core::errc::kConflict, QStringLiteral("prekey id reused"));
        preKeys.insert(record.id, keepPreKeys ? record.keyPair.publicKey : QByteArray());
    }
    co_return core::Status{};
}

QCoro::Task<core::Status> MemorySessionStore::clear()
{
    credentialBytes.clear();
    preKeys.clear();
    ++clears;
    co_return core::Status{};
}

} // namespace atende::test
