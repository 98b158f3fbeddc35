#include "server/security/key_ring.h"

#include "server/security/error_codes.h"

#include <algorithm>

namespace atende::server::security {

atende::core::Status KeyRing::add(SigningKey key)
{
    if (find(key.kid()))
        return atende::core::Error::make(errc::kKeyInvalid, QStringLiteral("duplicate key id"),
                                         {{QStringLiteral("kid"), key.kid()}});
    m_keys.push_back(std::move(key));
    return {};
}

atende::core::Status KeyRing::setActive(const QString &kid)
{
    const SigningKey *key = find(kid);
    if (!key || !key->canSign())
        return atende::core::Error::make(errc::kKeyInvalid, QStringLiteral("no signing key with this id"),
                                         {{QStringLiteral("kid"), kid}});
    m_activeKid = kid;
    return {};
}

atende::core::Status KeyRing::rotateTo(SigningKey key)
{
    if (!key.canSign())
        return atende::core::Error::make(errc::kKeyInvalid, QStringLiteral("key cannot sign"));
    const QString kid = key.kid();
    if (auto added = add(std::move(key)); !added)
        return added;
    return setActive(kid);
}

bool KeyRing::remove(const QString &kid)
{
    const auto it = std::find_if(m_keys.begin(), m_keys.end(), [&](const SigningKey &k) { return k.kid() == kid; });
    if (it == m_keys.end())
        return false;
    m_keys.erase(it);
    if (m_activeKid == kid)
        m_activeKid.clear();
    return true;
}

const SigningKey *KeyRing::find(QStringView kid) const
{
    for (const SigningKey &key : m_keys) {
        if (key.kid() == kid)
            return &key;
    }
    return nullptr;
}

const SigningKey *KeyRing::active() const
{
    return m_activeKid.isEmpty() ? nullptr : find(m_activeKid);
}

QStringList KeyRing::kids() const
{
    QStringList out;
    for (const SigningKey &key : m_keys)
        out.append(key.kid());
    return out;
}

} // namespace atende::server::security
