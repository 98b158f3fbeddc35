#include "app/core/session.h"

#include "app/core/logging.h"
#include "app/core/secret_store.h"

#include "atende/api/v1/auth.pb.h"

namespace atende::app::core {

namespace v1 = atende::api::v1;

Session::Session(ApiClient *api, SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_secrets(secrets)
{
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] { refresh(); });
    api->setRefresher([this](std::function<void(bool)> done) { refresh(std::move(done)); });
}

QString Session::secretKey(const QUrl &server, const QString &email)
{
    return QStringLiteral("refresh-token:%1:%2")
        .arg(server.adjusted(QUrl::StripTrailingSlash).toString(), email.trimmed().toLower());
}

void Session::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void Session::signIn(const QUrl &server, const QString &email, const QString &password, bool remember)
{
    m_serverUrl = server;
    m_email = email.trimmed();
    m_remember = remember;
    m_api->setBaseUrl(server);
    m_api->setAccessToken({});
    setState(State::SigningIn);
    v1::LoginRequest request;
    request.set_email(m_email.toStdString());
    request.set_password(password.toStdString());
    m_api->call<v1::AuthTokens>(ops::kLogin, request, this, [this](const ApiResult<v1::AuthTokens> &r) {
        if (!r.ok()) {
            setState(State::SignedOut);
            Q_EMIT signInFailed(r.error->code, r.error->message);
            return;
        }
        acceptTokens(QString::fromStdString(r.value.access_token()), QString::fromStdString(r.value.refresh_token()),
                     r.value.expires_in());
        loadMe();
    });
}

void Session::restore(const QUrl &server, const QString &email)
{
    if (!m_secrets || email.isEmpty()) {
        Q_EMIT restoreFailed();
        return;
    }
    m_serverUrl = server;
    m_email = email.trimmed();
    m_api->setBaseUrl(server);
    setState(State::SigningIn);
    m_secrets->read(secretKey(server, m_email), [this](bool ok, const QString &secret, const QString &) {
        if (!ok || secret.isEmpty()) {
            setState(State::SignedOut);
            Q_EMIT restoreFailed();
            return;
        }
        m_remember = true;
        m_refreshToken = secret;
        refresh([this](bool refreshed) {
            if (refreshed) {
                loadMe();
            } else {
                setState(State::SignedOut);
                Q_EMIT restoreFailed();
            }
        });
    });
}

void Session::acceptTokens(const QString &access, const QString &refreshToken, qint64 expiresIn)
{
    m_accessToken = access;
    m_refreshToken = refreshToken;
    m_api->setAccessToken(access);
    // A minute early, so calls never race the expiry; short-lived test tokens refresh at 80 %.
    const qint64 early = expiresIn > 300 ? expiresIn - 60 : expiresIn * 4 / 5;
    m_refreshTimer.start(int(qBound<qint64>(1, early, qint64(24 * 3600)) * 1000));
    storeRefreshToken();
    Q_EMIT accessTokenChanged(access);
}

void Session::storeRefreshToken()
{
    if (!m_remember)
        return;
    if (!m_secrets) {
        Q_EMIT rememberFailed(tr("This system has no keychain, so the sign-in is not remembered."));
        return;
    }
    QPointer<Session> self(this);
    m_secrets->write(secretKey(m_serverUrl, m_email), m_refreshToken, [self](bool ok, const QString &error) {
        if (!self || ok)
            return;
        qCWarning(lcCore) << "keychain refused the refresh token:" << error;
        self->m_remember = false; // do not try again with every rotation
        Q_EMIT self->rememberFailed(
            tr("The system keychain is not available (%1), so the sign-in is not remembered.").arg(error));
    });
}

void Session::loadMe()
{
    m_api->call<v1::MeResponse>(ops::kMe, v1::MeRequest(), this, [this](const ApiResult<v1::MeResponse> &r) {
        if (!r.ok()) {
            setState(State::SignedOut);
            Q_EMIT signInFailed(r.error->code, r.error->message);
            return;
        }
        const QString previous = m_user.id;
        m_user.id = QString::fromStdString(r.value.user_id());
        m_user.tenantId = QString::fromStdString(r.value.tenant_id());
        m_user.email = QString::fromStdString(r.value.email());
        m_user.name = QString::fromStdString(r.value.name());
        m_user.role = QString::fromStdString(r.value.role());
        Q_UNUSED(previous);
        setState(State::SignedIn);
        Q_EMIT signedIn();
    });
}

void Session::refresh(std::function<void(bool)> done)
{
    if (done)
        m_refreshWaiters.push_back(std::move(done));
    if (m_refreshing)
        return;
    if (m_refreshToken.isEmpty()) {
        end(true);
        return;
    }
    m_refreshing = true;
    v1::RefreshRequest request;
    request.set_refresh_token(m_refreshToken.toStdString());
    m_api->call<v1::AuthTokens>(ops::kRefresh, request, this, [this](const ApiResult<v1::AuthTokens> &r) {
        m_refreshing = false;
        std::vector<std::function<void(bool)>> waiters;
        waiters.swap(m_refreshWaiters);
        if (r.ok()) {
            acceptTokens(QString::fromStdString(r.value.access_token()),
                         QString::fromStdString(r.value.refresh_token()), r.value.expires_in());
            for (auto &w : waiters)
                w(true);
            return;
        }
        if (r.error->isNetwork()) {
            // The server is away, not the session: try again soon, keep the state.
            m_refreshTimer.start(5000);
            for (auto &w : waiters)
                w(false);
            return;
        }
        qCInfo(lcCore) << "refresh refused:" << r.error->code;
        for (auto &w : waiters)
            w(false);
        end(true);
    });
}

void Session::signOut()
{
    if (!m_refreshToken.isEmpty()) {
        v1::LogoutRequest request;
        request.set_refresh_token(m_refreshToken.toStdString());
        m_api->callRaw(ops::kLogout, request, nullptr, [](const ApiError *, const QByteArray &) {});
    }
    if (m_secrets && !m_email.isEmpty())
        m_secrets->remove(secretKey(m_serverUrl, m_email));
    end(false);
}

void Session::end(bool expiredByServer)
{
    m_refreshTimer.stop();
    m_accessToken.clear();
    m_refreshToken.clear();
    m_api->setAccessToken({});
    if (expiredByServer && m_secrets && m_remember && !m_email.isEmpty())
        m_secrets->remove(secretKey(m_serverUrl, m_email)); // the kept token is dead too
    const bool wasSignedIn = m_state == State::SignedIn;
    setState(State::SignedOut);
    Q_EMIT accessTokenChanged({});
    if (expiredByServer && wasSignedIn)
        Q_EMIT expired();
}

} // namespace atende::app::core
