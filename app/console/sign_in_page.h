#pragma once
// The sign-in page: server address, e-mail, password and "remember me". Errors from the server are shown
// by their stable code (wrong password, unreachable server, ...), never as raw text only.

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace atende::app::console {

class SignInPage : public QWidget {
    Q_OBJECT
public:
    explicit SignInPage(QWidget *parent = nullptr);

    void setServerUrl(const QString &url);
    void setEmail(const QString &email);
    void setBusy(bool busy);
    void showError(const QString &code, const QString &message);
    // Why "remember me" could not be honoured (no keychain); empty hides it.
    void setNotice(const QString &text);
    void clearPassword();

    QLineEdit *serverEdit() const { return m_server; }
    QLineEdit *emailEdit() const { return m_email; }
    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *rememberBox() const { return m_remember; }
    QPushButton *signInButton() const { return m_button; }
    QLabel *errorLabel() const { return m_error; }
    QLabel *noticeLabel() const { return m_notice; }

Q_SIGNALS:
    void signInRequested(const QString &serverUrl, const QString &email, const QString &password, bool remember);

private:
    void submit();

    QLineEdit *m_server;
    QLineEdit *m_email;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QPushButton *m_button;
    QLabel *m_error;
    QLabel *m_notice;
};

} // namespace atende::app::console
