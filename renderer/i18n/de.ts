// German. Typed against the Dutch source: a missing or extra key does not compile.
// NS product names and "Kaartservicecode" stay Dutch, as travellers see them in Mijn NS.
import { LANGUAGE_NAMES } from './catalog.js';
import type { Catalog } from './en.js';

export const de: Catalog = {
  app: {
    name: 'Fahrkartenautomat',
    demoBadge: 'DEMO',
    demoDescription: 'Demonstrationsmodus: Es werden keine echten Bestellungen abgeholt.',
  },
  language: {
    label: 'Sprache',
    ...LANGUAGE_NAMES,
  },
  common: {
    back: 'Zurück',
    stop: 'Beenden',
  },
  assist: {
    label: 'Hilfe bei der Bedienung',
    highContrast: 'Hoher Kontrast',
    speech: 'Sprachausgabe',
    moreTime: 'Mehr Zeit',
    choices: 'Auswahl: {{choices}}',
  },
  connection: {
    connectingTitle: 'Verbindung wird hergestellt…',
    connectingBody: 'Der Automat wird gestartet. Bitte einen Moment Geduld.',
    lostTitle: 'Verbindung unterbrochen',
    lostBody: 'Wir verbinden neu. Bitte einen Moment Geduld, Sie müssen nichts tun.',
  },
  card: {
    heading: 'Ihre Karte',
    number: 'Kartennummer',
    balance: 'Guthaben',
    expiry: 'Gültig bis',
  },
  order: {
    kaartservicecode: 'Kaartservicecode',
    kaartservicecodeDetail: 'Sie sehen den Code, nachdem Sie ihn abgeholt haben.',
    topup: 'Guthaben {{amount}}',
    topupDetail: 'Wird auf Ihre Karte geladen',
    validity: 'Gültig vom {{from}} bis einschließlich {{until}}',
    orderedAt: 'Bestellt am {{date}}',
  },
  products: {
    DAL_VOORDEEL: 'Dal Voordeel',
    ALTIJD_VOORDEEL: 'Altijd Voordeel',
    WEEKEND_VRIJ: 'Weekend Vrij',
    TRAJECT_VRIJ: 'Traject Vrij',
    unknown: 'Reiseprodukt',
  },
  outOfService: {
    title: 'Außer Betrieb',
    reasons: {
      starting: 'Der Automat wird gestartet. Bitte einen Moment Geduld.',
      noReader:
        'Das Kartenlesegerät funktioniert gerade nicht. Bitte benutzen Sie einen anderen Automaten oder fragen Sie NS-Personal um Hilfe.',
      manual:
        'Dieser Automat ist vorübergehend außer Betrieb. Bitte benutzen Sie einen anderen Automaten oder fragen Sie NS-Personal um Hilfe.',
    },
    serviceReasons: {
      maintenance:
        'Dieser Automat ist wegen Wartung vorübergehend außer Betrieb. Bitte benutzen Sie einen anderen Automaten oder fragen Sie NS-Personal um Hilfe.',
      technicalFault:
        'Dieser Automat ist wegen einer Störung vorübergehend außer Betrieb. Bitte benutzen Sie einen anderen Automaten oder fragen Sie NS-Personal um Hilfe.',
      cleaning: 'Dieser Automat wird gereinigt. Bitte benutzen Sie einen anderen Automaten oder versuchen Sie es in ein paar Minuten erneut.',
    },
    fallback: 'Der Automat kann dies gerade nicht anzeigen. Bitte benutzen Sie einen anderen Automaten oder fragen Sie NS-Personal um Hilfe.',
  },
  idle: {
    title: 'Halten Sie Ihre OV-chipkaart an das Lesegerät',
    body: 'Hier holen Sie ab, was Sie online bestellt haben: ein Reiseprodukt, Guthaben oder Ihren Kaartservicecode.',
  },
  readingCard: {
    title: 'Ihre Karte wird gelesen',
    body: 'Halten Sie Ihre Karte ruhig vor das Lesegerät.',
  },
  unknownCard: {
    title: 'Diese Karte können wir nicht verwenden',
    reasons: {
      foreignCard: 'Diese Karte ist keine OV-chipkaart. Bitte halten Sie Ihre OV-chipkaart an das Lesegerät.',
      corruptCard: 'Die Daten auf dieser Karte sind beschädigt. Bitte gehen Sie mit Ihrer Karte zu einem NS-Servicepunkt, dort hilft man Ihnen.',
      expiredCard: 'Diese OV-chipkaart ist abgelaufen. Bitte wenden Sie sich an den NS-Kundenservice, dort hilft man Ihnen mit Ihrer Bestellung.',
      unreadable: 'Die Karte konnte nicht richtig gelesen werden. Nehmen Sie die Karte weg und halten Sie sie erneut ruhig an das Lesegerät.',
    },
  },
  menu: {
    title: 'Was möchten Sie tun?',
    pickup: 'Bestellung abholen',
  },
  loadingOrders: {
    title: 'Ihre Bestellungen werden gesucht',
    body: 'Bitte einen Moment Geduld. Lassen Sie Ihre Karte am Lesegerät.',
  },
  orders: {
    title: 'Wählen Sie eine Bestellung',
    body: 'Diese Bestellungen liegen für Ihre Karte bereit.',
  },
  noOrders: {
    title: 'Keine Bestellungen gefunden',
    body: 'Für diese Karte liegen keine Bestellungen bereit.',
    hint: 'Haben Sie gerade erst bestellt? Es kann etwas dauern, bis Ihre Bestellung hier bereitliegt. Bitte versuchen Sie es später erneut.',
  },
  confirm: {
    title: 'Ist dies die richtige Bestellung?',
    body: 'Lassen Sie Ihre Karte am Lesegerät, bis das Abholen abgeschlossen ist.',
    ok: 'Einverstanden',
    cancel: 'Abbrechen',
  },
  delivering: {
    title: 'Nehmen Sie Ihre Karte nicht weg',
    body: 'Ihre Karte wird beschrieben. Halten Sie sie ruhig am Lesegerät, das dauert ein paar Sekunden.',
  },
  delivered: {
    titleCode: 'Ihr Kaartservicecode',
    codeLabel: 'Kaartservicecode',
    codeOnlyNow: 'Dieser Code wird nur jetzt angezeigt. Schreiben Sie ihn auf, bevor Sie weitermachen.',
    titleProduct: 'Das Produkt ist auf Ihrer Karte',
    titleTopup: 'Das Guthaben ist auf Ihrer Karte',
    topupAmount: '{{amount}} wurde auf Ihre Karte geladen.',
    newBalance: 'Neues Guthaben: {{balance}}',
    another: 'Weitere Bestellung abholen',
    done: 'Fertig',
  },
  interrupted: {
    title: 'Halten Sie dieselbe Karte erneut an das Lesegerät',
    body: 'Die Karte wurde weggenommen, bevor das Abholen fertig war. Ihre Bestellung ist nicht verloren: Halten Sie dieselbe Karte an das Lesegerät, dann schließen wir es ab.',
    differentCard: 'Das ist eine andere Karte',
    differentCardHint: 'Bitte halten Sie die Karte an das Lesegerät, mit der Sie begonnen haben.',
    deadline_one: 'Dafür haben Sie {{count}} Sekunde Zeit.',
    deadline_other: 'Dafür haben Sie {{count}} Sekunden Zeit.',
  },
  failed: {
    title: 'Ihre Bestellung konnte nicht abgeholt werden',
    orderSafe: 'Ihre Bestellung ist nicht verloren.',
    retry: 'Erneut versuchen',
    reasons: {
      cardRemoved:
        'Die Karte wurde nicht rechtzeitig erneut an das Lesegerät gehalten. Halten Sie dieselbe Karte erneut an das Lesegerät, dann schließen wir das Abholen ab.',
      balanceLimit:
        'Mit diesem Guthaben käme Ihre Karte über das Maximum von {{max}}. Reisen Sie zuerst mit Ihrer Karte und holen Sie das Guthaben später ab.',
      noFreeSlot:
        'Auf Ihrer Karte ist kein Platz für ein weiteres Produkt. Holen Sie es ab, wenn ein anderes Produkt abgelaufen ist, oder fragen Sie an einem NS-Servicepunkt um Hilfe.',
      cardExpired:
        'Ihre Karte ist abgelaufen, daher kann das Produkt nicht geladen werden. Bitte wenden Sie sich an den NS-Kundenservice, dort hilft man Ihnen.',
      orderUnavailable:
        'Diese Bestellung kann gerade nicht abgeholt werden. Bitte versuchen Sie es später erneut oder wenden Sie sich an den NS-Kundenservice.',
      wrongCard: 'Diese Bestellung gehört zu einer anderen Karte. Bitte halten Sie die Karte an das Lesegerät, für die Sie bestellt haben.',
      timeout: 'Das Abholen hat zu lange gedauert und wurde beendet. Halten Sie Ihre Karte an das Lesegerät und versuchen Sie es erneut.',
      internal:
        'Im Automaten ist etwas schiefgegangen. Bitte versuchen Sie es erneut. Wenn das nicht hilft, benutzen Sie bitte einen anderen Automaten.',
    },
  },
  inactivity: {
    title: 'Sind Sie noch da?',
    body: 'Wenn Sie nichts tun, beenden wir gleich. Möchten Sie weitermachen?',
    continue: 'Ja, weiter',
  },
  pin: {
    title: 'Technikermodus',
    bodyCard: 'Technikerkarte erkannt. Geben Sie Ihre PIN ein.',
    bodyServiceKey: 'Serviceschlüssel benutzt. Geben Sie Ihre PIN ein.',
    hint: 'Die PIN hat 4 bis 8 Ziffern.',
    entered_one: '{{count}} Ziffer eingegeben',
    entered_other: '{{count}} Ziffern eingegeben',
    keypad: 'Zifferntasten',
    clear: 'Löschen',
    backspace: 'Letzte Ziffer löschen',
    backspaceKey: '←',
    ok: 'OK',
    wrong: 'Falsche PIN',
    attemptsLeft_one: 'Noch {{count}} Versuch',
    attemptsLeft_other: 'Noch {{count}} Versuche',
  },
  checkingPin: {
    title: 'PIN wird geprüft',
    body: 'Bitte einen Moment Geduld.',
  },
  pinLocked: {
    title: 'Technikermodus gesperrt',
    body_one: 'Zu viele falsche PINs. Bitte versuchen Sie es in {{count}} Minute erneut.',
    body_other: 'Zu viele falsche PINs. Bitte versuchen Sie es in {{count}} Minuten erneut.',
  },
  maintenance: {
    title: 'Technikermodus',
    exit: 'Technikermodus verlassen',
    pagesLabel: 'Bereiche des Technikermodus',
    pages: {
      status: 'Status',
      testCard: 'Karte testen',
      deliveries: 'Auslieferungen',
      log: 'Protokoll',
      audit: 'Prüfprotokoll',
      outOfService: 'Außer Betrieb',
    },
    busy: 'Wird ausgeführt…',
    result: {
      ok: 'Erfolgreich: {{action}}',
      failed: 'Fehlgeschlagen: {{action}}',
      count: 'Anzahl: {{count}}',
    },
    actions: {
      syncNow: 'Jetzt synchronisieren',
      restartReader: 'Kartenlesegerät neu starten',
      releaseDeliveries: 'Auslieferungen freigeben',
      backInService: 'Wieder in Betrieb nehmen',
      outOfService: 'Außer Betrieb nehmen',
    },
    actionsLabel: 'Aktionen',
    health: {
      green: 'OK',
      amber: 'Achtung',
      red: 'Störung',
    },
    none: '—',
    yes: 'Ja',
    no: 'Nein',
    status: {
      overall: 'Gesamtstatus',
      reader: {
        title: 'Kartenlesegerät',
        name: 'Name',
        status: 'Status',
        lastCard: 'Letzte Karte',
        errors: 'Fehler seit dem Start',
      },
      store: {
        title: 'Speicher',
        size: 'Größe der Datenbank',
        pendingOrders: 'Offene Bestellungen',
        unsettled: 'Nicht abgeschlossene Auslieferungen',
      },
      sync: {
        title: 'Synchronisation',
        configured: 'Eingerichtet',
        online: 'Mit dem Backoffice verbunden',
        lastSuccess: 'Zuletzt erfolgreich',
        outbox: 'Warteschlange zum Backoffice',
        lag: 'Rückstand',
      },
      app: {
        title: 'Anwendung',
        version: 'Version',
        uptime: 'Läuft seit dem Start',
        outOfService: 'Außer Betrieb',
      },
      disk: {
        title: 'Festplatte',
        free: 'Frei',
        total: 'Gesamt',
      },
      noCardYet: 'noch keine',
      never: 'nie',
      unknown: 'unbekannt',
      inService: 'Nein, in Betrieb',
      lag_one: '{{count}} Sekunde',
      lag_other: '{{count}} Sekunden',
      uptime: '{{hours}} Std. {{minutes}} Min.',
    },
    readerStatus: {
      no_reader: 'Kein Kartenlesegerät gefunden',
      ready: 'Bereit',
      card_present: 'Karte am Lesegerät',
      card_error: 'Kartenfehler',
    },
    readerFault: {
      readerInUse: 'Ein anderes Programm verwendet das Kartenlesegerät',
    },
    serviceReasons: {
      maintenance: 'Wartung',
      technicalFault: 'Störung',
      cleaning: 'Reinigung',
    },
    cardKinds: {
      traveller: 'Reisendenkarte',
      technician: 'Technikerkarte',
    },
    testCard: {
      instruction: 'Halten Sie die zu testende Karte an das Lesegerät',
      waiting: 'Noch keine Karte gelesen.',
      okTitle: 'Karte gelesen',
      failedTitle: 'Karte nicht verwendbar',
      number: 'Kartennummer',
      kind: 'Kartenart',
      expiry: 'Gültig bis',
      balance: 'Guthaben',
      products: 'Reiseprodukte',
      noProducts: 'Keine',
      ordersOnCard: 'Auf der Karte verbuchte Bestellungen',
      activeRecord: 'Aktiver Datensatz',
      sequence: 'Folgenummer',
      layoutVersion: 'Layoutversion',
      uid: 'UID',
    },
    readFailures: {
      foreignCard: 'Keine OV-chipkaart: unbekannter Kartentyp oder Karte eines anderen Herausgebers.',
      corruptCard: 'Die Daten sind beschädigt: kein gültiger Datensatz (Prüfsumme oder Layout stimmt nicht).',
      expiredCard: 'Die Karte ist abgelaufen.',
      unreadable: 'Die Karte konnte nicht gelesen werden: Kommunikationsfehler oder die Karte wurde zu früh weggenommen.',
    },
    deliveries: {
      explanation:
        'Eine Auslieferung bleibt offen, wenn eine Karte beim Beschreiben weggenommen wurde und nicht zurückkam. Freigeben schließt diese Auslieferungen, damit der Reisende die Bestellung erneut abholen kann. Doppelte Auslieferung ist ausgeschlossen: Die Karte hält selbst fest, welche Bestellungen schon darauf sind, auch wenn das Schreiben unterbrochen wurde. Ist die Bestellung doch auf der Karte, wird sie als ausgeliefert gemeldet, sobald die Karte wieder vorgehalten wird.',
      release: 'Freigeben',
      none: 'Keine offenen Auslieferungen',
      card: 'Karte',
      kind: 'Art',
      state: 'Zustand',
      since: 'Seit',
      kinds: {
        kaartservicecode: 'Kaartservicecode',
        product: 'Reiseprodukt',
        topup: 'Guthaben',
      },
      states: {
        pending: 'Vorbereitet',
        writing: 'Beim Schreiben unterbrochen',
      },
    },
    log: {
      none: 'Keine Protokollzeilen',
      time: 'Zeit',
      level: 'Stufe',
      message: 'Meldung',
    },
    audit: {
      none: 'Keine Prüfprotokollzeilen',
      time: 'Zeit',
      actor: 'Wer',
      action: 'Aktion',
      detail: 'Details',
    },
    outOfService: {
      inService: 'Dieser Automat ist in Betrieb.',
      isOut: 'Dieser Automat ist außer Betrieb: {{reason}}.',
      choose: 'Diesen Automaten außer Betrieb nehmen',
      take: {
        maintenance: 'Außer Betrieb wegen Wartung',
        technicalFault: 'Außer Betrieb wegen Störung',
        cleaning: 'Außer Betrieb wegen Reinigung',
      },
      travellersSee: 'Reisende sehen: „{{text}}“',
    },
  },
  dev: {
    title: 'Entwicklerwerkzeuge',
    subtitle: 'Simuliertes Kartenlesegerät, nur im Demonstrationsmodus.',
    cardsHeading: 'Karte an das Lesegerät halten',
    present: 'Am Lesegerät: {{label}}',
    noCard: 'Keine Karte am Lesegerät',
    remove: 'Karte wegnehmen',
    tearHeading: 'Karte beim Schreiben wegreißen',
    tearLabel: 'Nach wie vielen Blockschreibvorgängen',
    tearArm: 'Für die nächste Auslieferung scharf schalten',
    tearArmed_one: 'Scharf: Die nächste Auslieferung bricht nach {{count}} Blockschreibvorgang ab.',
    tearArmed_other: 'Scharf: Die nächste Auslieferung bricht nach {{count}} Blockschreibvorgängen ab.',
    tearNone: 'Nicht scharf.',
  },
};
