#pragma once
// Where "remember me" keeps the refresh token: the system keychain through QtKeychain (Secret Service,
// macOS Keychain, Windows Credential Manager). There is deliberately no file fallback: when the keychain
// cannot be used the token is not stored at all and the sign-in page says so.

#include <QObject>
#include <functional>

namespace atende::app::core {

class SecretStore : public QObject {
    Q_OBJECT
public:
    using ReadCallback = std::function<void(bool ok, const QString &secret, const QString &error)>;
    using WriteCallback = std::function<void(bool ok, const QString &error)>;

    using QObject::QObject;
    virtual void read(const QString &key, ReadCallback done) = 0;
    virtual void write(const QString &key, const QString &secret, WriteCallback done) = 0;
    virtual void remove(const QString &key) = 0;
};

// The QtKeychain implementation (service "atende"); every job runs asynchronously.
class KeychainSecretStore : public SecretStore {
    Q_OBJECT
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("atende"), QObject *parent = nullptr);
    void read(const QString &key, ReadCallback done) override;
    void write(const QString &key, const QString &secret, WriteCallback done) override;
    void remove(const QString &key) override;

private:
    QString m_service;
};

} // namespace atende::app::core
