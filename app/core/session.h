#pragma once
// Session: who is signed in, with which tokens, on which server.
//
// signIn() calls auth.login and auth.me; the access token is then refreshed silently (auth.refresh, which
// rotates the refresh token) a minute before it expires and whenever a call comes back 401. With
// "remember me" the current refresh token is kept in the system keychain (SecretStore) and rewritten on
// every rotation; restore() signs in with it on the next start. When the keychain refuses, nothing is
// stored and rememberFailed() says why, for the UI to show.
//
// When a refresh is refused (revoked, expired) the session ends with expired(): the console goes back to
// sign-in while keeping its state (drafts), and signing in again as the same user continues.

#include "app/core/api_client.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

namespace atende::app::core {

class SecretStore;

struct SessionUser {
    QString id;
    QString tenantId;
    QString email;
    QString name;
    QString role; // "agent" | "supervisor" | "admin"
    bool supervises() const { return role == QLatin1String("supervisor") || role == QLatin1String("admin"); }
};

class Session : public QObject {
    Q_OBJECT
public:
    enum class State { SignedOut, SigningIn, SignedIn };
    Q_ENUM(State)

    // `secrets` may be null (no keychain support at all).
    Session(ApiClient *api, SecretStore *secrets, QObject *parent = nullptr);

    State state() const { return m_state; }
    const SessionUser &user() const { return m_user; }
    QUrl serverUrl() const { return m_serverUrl; }
    QString accessToken() const { return m_accessToken; }
    bool remembered() const { return m_remember; }

    void signIn(const QUrl &server, const QString &email, const QString &password, bool remember);
    // Signs in with the refresh token kept for (server, email); restoreFailed() when there is none or it is
    // refused.
    void restore(const QUrl &server, const QString &email);
    // Revokes the refresh token on the server and forgets it here.
    void signOut();
    // Refreshes the access token now; done(ok) when finished (ApiClient's refresher).
    void refresh(std::function<void(bool)> done = {});

    static QString secretKey(const QUrl &server, const QString &email);

Q_SIGNALS:
    void stateChanged(atende::app::core::Session::State state);
    void signedIn();
    void signInFailed(const QString &code, const QString &message);
    void restoreFailed();
    void expired();
    void accessTokenChanged(const QString &token);
    void rememberFailed(const QString &reason);

private:
    void setState(State state);
    void acceptTokens(const QString &access, const QString &refreshToken, qint64 expiresIn);
    void loadMe();
    void storeRefreshToken();
    void end(bool expiredByServer);

    QPointer<ApiClient> m_api;
    QPointer<SecretStore> m_secrets;
    State m_state = State::SignedOut;
    SessionUser m_user;
    QUrl m_serverUrl;
    QString m_email;
    QString m_accessToken;
    QString m_refreshToken;
    bool m_remember = false;
    bool m_refreshing = false;
    std::vector<std::function<void(bool)>> m_refreshWaiters;
    QTimer m_refreshTimer;
};

} // namespace atende::app::core
