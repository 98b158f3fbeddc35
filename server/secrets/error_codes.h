#pragma once
// Error codes of the secrets module, carried in atende::core::Error::code. Never renamed.

namespace atende::server::secrets::errc {

// The database's keys are wrapped by another master key than the configured one (wrong key file or
// ATENDE_MASTER_KEY): the server refuses to start rather than create keys nobody else can open.
inline constexpr auto kMasterKeyMismatch = "master_key_mismatch";
// rotate-master-key needs a database role that sees every tenant's row (superuser or BYPASSRLS).
inline constexpr auto kRotationNeedsBypassRls = "master_key_rotation_needs_bypassrls";

} // namespace atende::server::secrets::errc
