#include "server/desk/reply_template.h"

#include <QRegularExpression>

namespace atende::server::desk {

RenderedText renderTemplate(const QString &body, const QHash<QString, QString> &values)
{
    // Names are lower-case words joined by dots: contact.first_name, agent.name, greeting.
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*([a-z_]+(?:\\.[a-z_]+)*)\\s*\\}\\}"));
    RenderedText out;
    out.text.reserve(body.size());
    qsizetype from = 0;
    QRegularExpressionMatchIterator it = placeholder.globalMatch(body);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out.text += QStringView(body).mid(from, m.capturedStart() - from);
        const QString name = m.captured(1);
        const QString value = values.value(name);
        if (value.isEmpty()) {
            out.text += m.captured(0);
            if (!out.missing.contains(name))
                out.missing.append(name);
        } else {
            out.text += value;
        }
        from = m.capturedEnd();
    }
    out.text += QStringView(body).mid(from);
    return out;
}

QString greetingFor(const QDateTime &local, const QString &language)
{
    const int hour = local.time().hour();
    const bool pt = language.startsWith(QLatin1String("pt"));
    if (hour >= 5 && hour < 12)
        return pt ? QStringLiteral("Bom dia") : QStringLiteral("Good morning");
    if (hour >= 12 && hour < 18)
        return pt ? QStringLiteral("Boa tarde") : QStringLiteral("Good afternoon");
    return pt ? QStringLiteral("Boa noite") : QStringLiteral("Good evening");
}

QString firstName(const QString &name)
{
    const QString trimmed = name.trimmed();
    const qsizetype space = trimmed.indexOf(QLatin1Char(' '));
    return space < 0 ? trimmed : trimmed.left(space);
}

} // namespace atende::server::desk
