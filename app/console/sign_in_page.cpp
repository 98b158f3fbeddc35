#include "app/console/sign_in_page.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace atende::app::console {

SignInPage::SignInPage(QWidget *parent)
    : QWidget(parent)
    , m_server(new QLineEdit)
    , m_email(new QLineEdit)
    , m_password(new QLineEdit)
    , m_remember(new QCheckBox(tr("Remember me on this computer")))
    , m_button(new QPushButton(tr("Sign in")))
    , m_error(new QLabel)
    , m_notice(new QLabel)
{
    setObjectName(QStringLiteral("signInPage"));
    m_server->setObjectName(QStringLiteral("signInServer"));
    m_email->setObjectName(QStringLiteral("signInEmail"));
    m_password->setObjectName(QStringLiteral("signInPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_server->setPlaceholderText(QStringLiteral("https://atende.example.com"));
    m_email->setPlaceholderText(tr("you@company.com"));
    m_button->setObjectName(QStringLiteral("signInButton"));
    m_button->setProperty("role", QStringLiteral("primary"));
    m_button->setDefault(true);
    m_error->setObjectName(QStringLiteral("signInError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #e0243a;"));
    m_error->hide();
    m_notice->setObjectName(QStringLiteral("signInNotice"));
    m_notice->setWordWrap(true);
    m_notice->setProperty("role", QStringLiteral("muted"));
    m_notice->hide();

    auto *card = new QFrame;
    card->setObjectName(QStringLiteral("signInCard"));
    card->setMinimumWidth(440);
    card->setMaximumWidth(520);
    auto *title = new QLabel(tr("Sign in to Atende"));
    title->setObjectName(QStringLiteral("signInTitle"));
    auto *form = new QFormLayout;
    form->addRow(tr("Server"), m_server);
    form->addRow(tr("E-mail"), m_email);
    form->addRow(tr("Password"), m_password);
    // QFormLayout tops a label with its field; the styled fields are taller than a line (padding), so the
    // labels sat high. Allowed to grow to the row's height, a label centres its text on the field.
    for (QWidget *field :
         {static_cast<QWidget *>(m_server), static_cast<QWidget *>(m_email), static_cast<QWidget *>(m_password)})
        if (QWidget *label = form->labelForField(field))
            label->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    auto *inner = new QVBoxLayout(card);
    inner->setContentsMargins(28, 24, 28, 24);
    inner->setSpacing(12);
    inner->addWidget(title);
    inner->addLayout(form);
    inner->addWidget(m_remember);
    inner->addWidget(m_error);
    inner->addWidget(m_notice);
    inner->addWidget(m_button);

    auto *outer = new QVBoxLayout(this);
    outer->addStretch(2);
    outer->addWidget(card, 0, Qt::AlignHCenter);
    outer->addStretch(3);

    connect(m_button, &QPushButton::clicked, this, &SignInPage::submit);
    connect(m_password, &QLineEdit::returnPressed, this, &SignInPage::submit);
    connect(m_email, &QLineEdit::returnPressed, this, [this] { m_password->setFocus(); });
}

void SignInPage::setServerUrl(const QString &url)
{
    m_server->setText(url);
}

void SignInPage::setEmail(const QString &email)
{
    m_email->setText(email);
}

void SignInPage::setBusy(bool busy)
{
    m_button->setEnabled(!busy);
    m_button->setText(busy ? tr("Signing in…") : tr("Sign in"));
}

void SignInPage::showError(const QString &code, const QString &message)
{
    QString text;
    if (code == QLatin1String("unauthenticated"))
        text = tr("Wrong e-mail or password.");
    else if (code == QLatin1String("network") || code == QLatin1String("timeout"))
        text = tr("The server cannot be reached. Check the address and your connection.");
    else if (code == QLatin1String("rate_limited"))
        text = tr("Too many attempts. Wait a moment and try again.");
    else if (code == QLatin1String("expired"))
        text = tr("Your session expired. Sign in again; your drafts are kept.");
    else
        text = tr("Sign-in failed (%1).").arg(message.isEmpty() ? code : message);
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void SignInPage::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

void SignInPage::clearPassword()
{
    m_password->clear();
}

void SignInPage::submit()
{
    if (m_email->text().trimmed().isEmpty() || m_password->text().isEmpty() || m_server->text().trimmed().isEmpty())
        return;
    m_error->hide();
    Q_EMIT signInRequested(m_server->text().trimmed(), m_email->text().trimmed(), m_password->text(),
                           m_remember->isChecked());
}

} // namespace atende::app::console
