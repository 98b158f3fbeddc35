#pragma once
// Comparison of secrets (hashes, MACs, tokens) whose running time does not depend on where the inputs
// first differ. Only the lengths leak, which is fine for fixed-size digests.

#include <QByteArrayView>

namespace atende::server::security {

bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

} // namespace atende::server::security
