#include "tests/desk/sql_plan.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include <gtest/gtest.h>

namespace atende::test {

QString planOf(QSqlDatabase &db, const server::desk::SqlStatement &st)
{
    QString sql;
    qsizetype next = 0;
    for (const QChar c : st.sql) {
        if (c != QLatin1Char('?')) {
            sql += c;
            continue;
        }
        const QVariant v = st.binds.value(next++);
        if (v.typeId() == QMetaType::Int)
            sql += QString::number(v.toInt());
        else
            sql +=
                QLatin1Char('\'') + v.toString().replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
    }
    EXPECT_EQ(next, st.binds.size());
    QSqlQuery q(db);
    EXPECT_TRUE(q.exec(QStringLiteral("EXPLAIN ") + sql)) << q.lastError().text().toStdString();
    QStringList lines;
    while (q.next())
        lines << q.value(0).toString();
    return lines.join(QLatin1Char('\n'));
}

} // namespace atende::test
