#pragma once
// Types text into a widget key by key. QTest::keyClicks asserts on characters outside ASCII (qasciikey.cpp),
// and Portuguese needs accents: those go as key events that carry only their text, as an input method
// would deliver them.

#include <QTest>

namespace atende::test {

inline void typeText(QWidget *widget, const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() < 128)
            QTest::keyClick(widget, c.toLatin1());
        else
            QTest::sendKeyEvent(QTest::Click, widget, Qt::Key_unknown, QString(c), Qt::NoModifier);
    }
}

} // namespace atende::test
