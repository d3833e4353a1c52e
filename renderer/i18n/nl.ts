// Dutch: the source catalog. Every other language is typed against these keys.
// NS wording where the traveller knows it from the machines at the station.
import { type CatalogCoverage, LANGUAGE_NAMES } from './catalog.js';

export const nl = {
  app: {
    name: 'Kaartautomaat',
    demoBadge: 'DEMO',
    demoDescription: 'Demonstratiemodus: er worden geen echte bestellingen opgehaald.',
  },
  language: {
    label: 'Taal',
    ...LANGUAGE_NAMES,
  },
  common: {
    back: 'Terug',
    stop: 'Stoppen',
  },
  assist: {
    label: 'Hulp bij bediening',
    highContrast: 'Hoog contrast',
    speech: 'Spraak',
    moreTime: 'Meer tijd',
    choices: 'Keuzes: {{choices}}',
  },
  connection: {
    connectingTitle: 'Verbinding maken…',
    connectingBody: 'De automaat wordt gestart. Een ogenblik geduld.',
    lostTitle: 'Verbinding verbroken',
    lostBody: 'We maken opnieuw verbinding. Een ogenblik geduld, u hoeft niets te doen.',
  },
  card: {
    heading: 'Uw kaart',
    number: 'Kaartnummer',
    balance: 'Saldo',
    expiry: 'Geldig tot',
  },
  order: {
    kaartservicecode: 'Kaartservicecode',
    kaartservicecodeDetail: 'U ziet de code nadat u hem hebt opgehaald.',
    topup: '{{amount}} opwaarderen',
    topupDetail: 'Wordt op uw kaart gezet',
    validity: 'Geldig van {{from}} tot en met {{until}}',
    orderedAt: 'Besteld op {{date}}',
    pickupBefore: 'Op te halen tot en met {{date}}',
    blocked: {
      balanceLimit: 'Nu niet mogelijk: uw saldo zou boven het maximum van {{max}} komen.',
    },
    blockedLabel: 'Niet te kiezen',
  },
  products: {
    DAL_VOORDEEL: 'Dal Voordeel',
    ALTIJD_VOORDEEL: 'Altijd Voordeel',
    WEEKEND_VRIJ: 'Weekend Vrij',
    TRAJECT_VRIJ: 'Traject Vrij',
    unknown: 'Reisproduct',
  },
  outOfService: {
    title: 'Buiten gebruik',
    reasons: {
      starting: 'De automaat wordt opgestart. Een ogenblik geduld.',
      noReader: 'De kaartlezer werkt op dit moment niet. Gebruik een andere automaat of vraag een NS-medewerker om hulp.',
      manual: 'Deze automaat is tijdelijk buiten gebruik. Gebruik een andere automaat of vraag een NS-medewerker om hulp.',
    },
    serviceReasons: {
      maintenance:
        'Deze automaat is tijdelijk buiten gebruik voor onderhoud. Gebruik een andere automaat of vraag een NS-medewerker om hulp.',
      technicalFault:
        'Deze automaat is tijdelijk buiten gebruik door een storing. Gebruik een andere automaat of vraag een NS-medewerker om hulp.',
      cleaning:
        'Deze automaat wordt schoongemaakt. Gebruik een andere automaat of probeer het over een paar minuten opnieuw.',
    },
    fallback: 'De automaat kan dit nu niet tonen. Gebruik een andere automaat of vraag een NS-medewerker om hulp.',
  },
  idle: {
    title: 'Houd uw OV-chipkaart voor de lezer',
    body: 'Hier haalt u op wat u online hebt besteld: een reisproduct, saldo of uw kaartservicecode.',
  },
  readingCard: {
    title: 'Uw kaart wordt gelezen',
    body: 'Houd uw kaart stil voor de lezer.',
  },
  unknownCard: {
    title: 'Deze kaart kunnen we niet gebruiken',
    reasons: {
      foreignCard: 'Deze kaart is geen OV-chipkaart. Houd uw OV-chipkaart voor de lezer.',
      corruptCard:
        'De gegevens op deze kaart zijn beschadigd. Ga met uw kaart naar een NS-servicebalie, daar helpen we u verder.',
      expiredCard:
        'Deze OV-chipkaart is verlopen. Neem contact op met NS Klantenservice, zij helpen u verder met uw bestelling.',
      unreadable: 'De kaart kon niet goed worden gelezen. Neem de kaart weg en houd hem opnieuw stil voor de lezer.',
    },
  },
  menu: {
    title: 'Wat wilt u doen?',
    pickup: 'Ophalen bestelling',
  },
  loadingOrders: {
    title: 'Uw bestellingen worden opgezocht',
    body: 'Een ogenblik geduld. Houd uw kaart voor de lezer.',
  },
  orders: {
    title: 'Kies een bestelling',
    body: 'Deze bestellingen staan klaar voor uw kaart.',
    pages: 'Pagina {{page}} van {{pages}}',
    previous: 'Vorige',
    next: 'Volgende',
    pager: 'Meer bestellingen',
    added_one: 'Er is {{count}} nieuwe bestelling bijgekomen.',
    added_other: 'Er zijn {{count}} nieuwe bestellingen bijgekomen.',
    gone: '{{order}} staat niet meer klaar: {{reason}}',
    goneReasons: {
      cancelled: 'de bestelling is geannuleerd.',
      expired: 'de ophaaltermijn is verlopen.',
      delivered: 'de bestelling is al opgehaald.',
      unavailable: 'de bestelling kan nu niet worden opgehaald.',
    },
  },
  noOrders: {
    title: 'Geen bestellingen gevonden',
    body: 'Voor deze kaart staan geen bestellingen klaar.',
    hint: 'Hebt u net besteld? Het kan even duren voordat uw bestelling hier klaarstaat. Probeer het later opnieuw.',
  },
  confirm: {
    title: 'Klopt deze bestelling?',
    body: 'Houd uw kaart voor de lezer tot het ophalen klaar is.',
    ok: 'Akkoord',
    cancel: 'Annuleren',
  },
  cardRemoved: {
    title: 'Kaart weggenomen',
    body: 'Er is niets veranderd op uw kaart. Uw bestellingen staan nog klaar.',
    hint: 'Wilt u toch iets ophalen? Houd uw kaart weer voor de lezer.',
  },
  takeCard: {
    title: 'Neem uw kaart mee',
    body: 'Vergeet uw OV-chipkaart niet. Goede reis!',
  },
  delivering: {
    title: 'Niet wegnemen — uw bestelling wordt op de kaart gezet',
    body: 'Houd uw kaart stil voor de lezer. Dit duurt een paar seconden.',
  },
  delivered: {
    titleCode: 'Uw kaartservicecode',
    codeLabel: 'Kaartservicecode',
    codeWriteDown: 'Schrijf de code op of maak er een foto van.',
    codeShownAgain_one: 'Houdt u deze kaart binnen {{count}} uur weer voor deze automaat, dan ziet u de code opnieuw.',
    codeShownAgain_other: 'Houdt u deze kaart binnen {{count}} uur weer voor deze automaat, dan ziet u de code opnieuw.',
    nextTitle: 'Zo koppelt u uw kaart',
    nextStep1: 'Ga naar Mijn NS: scan de QR-code of ga naar {{url}}.',
    nextStep2: 'Kies ‘OV-chipkaart koppelen’.',
    nextStep3: 'Vul het kaartnummer in (het staat op uw kaart) en deze code.',
    qrLabel: 'QR-code naar Mijn NS ({{url}})',
    takeCard: 'Klaar? Neem uw kaart mee.',
    cardGone: 'Uw kaart is weggenomen',
    cardGoneBody_one: 'Dit scherm blijft nog {{count}} seconde staan.',
    cardGoneBody_other: 'Dit scherm blijft nog {{count}} seconden staan.',
    titleProduct: 'Het product staat op uw kaart',
    titleTopup: 'Het saldo staat op uw kaart',
    topupAmount: '{{amount}} is op uw kaart gezet.',
    newBalance: 'Nieuw saldo: {{balance}}',
    another: 'Nog een bestelling ophalen',
    done: 'Klaar',
  },
  interrupted: {
    title: 'Houd dezelfde kaart opnieuw voor de lezer',
    body: 'De kaart werd weggenomen voordat het ophalen klaar was. Uw bestelling is niet verloren: houd dezelfde kaart voor de lezer, dan maken we het af.',
    differentCard: 'Dit is een andere kaart',
    differentCardHint: 'Houd de kaart voor de lezer waarmee u begon.',
    deadline_one: 'U heeft hiervoor {{count}} seconde.',
    deadline_other: 'U heeft hiervoor {{count}} seconden.',
  },
  failed: {
    title: 'Het ophalen is niet gelukt',
    orderSafe: 'Uw bestelling is niet verloren.',
    retry: 'Opnieuw proberen',
    nothingChanged: 'Er is niets op uw kaart veranderd.',
    chooseAnother: 'Andere bestelling kiezen',
    reasons: {
      cardRemoved:
        'De kaart is niet op tijd teruggekomen. Houd dezelfde kaart weer voor de lezer: de automaat kijkt wat er op de kaart staat en daarna kunt u verder.',
      balanceLimit:
        'Met dit saldo komt u boven het maximum van {{max}} op uw kaart. Reis eerst met uw kaart en haal het saldo later op.',
      noFreeSlot:
        'Er is geen ruimte meer op uw kaart voor een nieuw product. Haal het op als een ander product is verlopen, of vraag hulp bij een NS-servicebalie.',
      cardExpired:
        'Uw kaart is verlopen, daarom kan het product er niet op. Neem contact op met NS Klantenservice, zij helpen u verder.',
      orderUnavailable:
        'Deze bestelling kan nu niet worden opgehaald. Probeer het later opnieuw of neem contact op met NS Klantenservice.',
      orderCancelled: 'Deze bestelling is geannuleerd en kan niet meer worden opgehaald.',
      orderExpired:
        'De ophaaltermijn van deze bestelling is verlopen. Neem contact op met NS Klantenservice als u vragen hebt.',
      orderDelivered: 'Deze bestelling is al opgehaald, bij deze of een andere automaat.',
      unknownProduct:
        'Deze automaat kan dit reisproduct niet op uw kaart zetten. Neem contact op met NS Klantenservice, zij helpen u verder.',
      wrongCard: 'Deze bestelling hoort bij een andere kaart. Houd de kaart voor de lezer waarvoor u hebt besteld.',
      timeout: 'Het ophalen duurde te lang en is gestopt. Houd uw kaart voor de lezer en probeer het opnieuw.',
      internal:
        'Er ging iets mis in de automaat. Probeer het opnieuw. Lukt het niet, gebruik dan een andere automaat.',
    },
  },
  inactivity: {
    title: 'Bent u er nog?',
    body: 'Als u niets doet, stoppen we zo. Wilt u verder?',
    continue: 'Ja, ga door',
  },
  pin: {
    title: 'Monteursmodus',
    bodyCard: 'Monteurskaart herkend. Voer uw pincode in.',
    bodyServiceKey: 'Servicesleutel gebruikt. Voer uw pincode in.',
    hint: 'De pincode heeft 4 tot 8 cijfers.',
    entered_one: '{{count}} cijfer ingevoerd',
    entered_other: '{{count}} cijfers ingevoerd',
    keypad: 'Cijfertoetsen',
    clear: 'Wissen',
    backspace: 'Laatste cijfer wissen',
    backspaceKey: '←',
    ok: 'OK',
    wrong: 'Onjuiste pincode',
    attemptsLeft_one: 'Nog {{count}} poging',
    attemptsLeft_other: 'Nog {{count}} pogingen',
  },
  checkingPin: {
    title: 'Pincode wordt gecontroleerd',
    body: 'Een ogenblik geduld.',
  },
  pinLocked: {
    title: 'Monteursmodus geblokkeerd',
    body_one: 'Te vaak een onjuiste pincode. Probeer het over {{count}} minuut opnieuw.',
    body_other: 'Te vaak een onjuiste pincode. Probeer het over {{count}} minuten opnieuw.',
  },
  maintenance: {
    title: 'Monteursmodus',
    exit: 'Monteursmodus verlaten',
    pagesLabel: 'Onderdelen van de monteursmodus',
    pages: {
      status: 'Status',
      testCard: 'Kaart testen',
      deliveries: 'Leveringen',
      log: 'Logboek',
      audit: 'Auditlog',
      outOfService: 'Buiten gebruik',
    },
    busy: 'Bezig…',
    result: {
      ok: 'Gelukt: {{action}}',
      failed: 'Mislukt: {{action}}',
      count: 'Aantal: {{count}}',
    },
    actions: {
      syncNow: 'Nu synchroniseren',
      restartReader: 'Kaartlezer herstarten',
      releaseDeliveries: 'Leveringen vrijgeven',
      backInService: 'Weer in gebruik nemen',
      outOfService: 'Buiten gebruik stellen',
    },
    actionsLabel: 'Acties',
    health: {
      green: 'OK',
      amber: 'Let op',
      red: 'Storing',
    },
    none: '—',
    yes: 'Ja',
    no: 'Nee',
    status: {
      overall: 'Algemene status',
      reader: {
        title: 'Kaartlezer',
        name: 'Naam',
        status: 'Status',
        lastCard: 'Laatste kaart',
        errors: 'Fouten sinds start',
      },
      store: {
        title: 'Opslag',
        size: 'Grootte database',
        pendingOrders: 'Openstaande bestellingen',
        unsettled: 'Onafgeronde leveringen',
      },
      sync: {
        title: 'Synchronisatie',
        configured: 'Ingesteld',
        online: 'Verbonden met backoffice',
        lastSuccess: 'Laatst gelukt',
        outbox: 'Wachtrij naar backoffice',
        lag: 'Achterstand',
      },
      app: {
        title: 'Applicatie',
        version: 'Versie',
        uptime: 'In bedrijf sinds start',
        outOfService: 'Buiten gebruik',
      },
      disk: {
        title: 'Schijf',
        free: 'Vrij',
        total: 'Totaal',
      },
      noCardYet: 'nog geen',
      never: 'nog nooit',
      unknown: 'onbekend',
      inService: 'Nee, in gebruik',
      lag_one: '{{count}} seconde',
      lag_other: '{{count}} seconden',
      uptime: '{{hours}} u {{minutes}} min',
    },
    readerStatus: {
      no_reader: 'Geen kaartlezer gevonden',
      ready: 'Gereed',
      card_present: 'Kaart op de lezer',
      card_error: 'Kaartfout',
    },
    serviceReasons: {
      maintenance: 'Onderhoud',
      technicalFault: 'Storing',
      cleaning: 'Schoonmaak',
    },
    cardKinds: {
      traveller: 'Reizigerskaart',
      technician: 'Monteurskaart',
    },
    testCard: {
      instruction: 'Houd de kaart die u wilt testen voor de lezer',
      waiting: 'Er is nog geen kaart gelezen.',
      okTitle: 'Kaart gelezen',
      failedTitle: 'Kaart niet bruikbaar',
      number: 'Kaartnummer',
      kind: 'Soort kaart',
      expiry: 'Geldig tot',
      balance: 'Saldo',
      products: 'Reisproducten',
      noProducts: 'Geen',
      ordersOnCard: 'Bestellingen op de kaart',
      activeRecord: 'Actief record',
      sequence: 'Volgnummer',
      layoutVersion: 'Layoutversie',
      uid: 'UID',
    },
    readFailures: {
      foreignCard: 'Geen OV-chipkaart: onbekend kaarttype of een kaart van een andere uitgever.',
      corruptCard: 'De gegevens zijn beschadigd: geen geldig record (controlegetal of layout klopt niet).',
      expiredCard: 'De kaart is verlopen.',
      unreadable: 'De kaart kon niet worden gelezen: communicatiefout of de kaart werd te snel weggenomen.',
    },
    deliveries: {
      explanation:
        'Een levering blijft onafgerond als een kaart tijdens het schrijven is weggenomen en niet is teruggekomen. Vrijgeven sluit deze leveringen af, zodat de reiziger de bestelling opnieuw kan ophalen. Dubbel leveren is uitgesloten: de kaart houdt zelf bij welke bestellingen er al op staan, ook als het schrijven werd onderbroken. Staat de bestelling toch op de kaart, dan wordt ze als geleverd gemeld zodra de kaart terugkomt.',
      release: 'Vrijgeven',
      none: 'Geen openstaande leveringen',
      card: 'Kaart',
      kind: 'Soort',
      state: 'Status',
      since: 'Sinds',
      kinds: {
        kaartservicecode: 'Kaartservicecode',
        product: 'Reisproduct',
        topup: 'Saldo',
      },
      states: {
        pending: 'Klaargezet',
        writing: 'Onderbroken tijdens schrijven',
      },
    },
    log: {
      none: 'Geen logregels',
      time: 'Tijd',
      level: 'Niveau',
      message: 'Melding',
    },
    audit: {
      none: 'Geen auditregels',
      time: 'Tijd',
      actor: 'Wie',
      action: 'Actie',
      detail: 'Details',
    },
    outOfService: {
      inService: 'Deze automaat is in gebruik.',
      isOut: 'Deze automaat is buiten gebruik: {{reason}}.',
      choose: 'Automaat buiten gebruik stellen',
      take: {
        maintenance: 'Buiten gebruik voor onderhoud',
        technicalFault: 'Buiten gebruik door storing',
        cleaning: 'Buiten gebruik voor schoonmaak',
      },
      travellersSee: 'Reizigers zien: “{{text}}”',
    },
  },
  dev: {
    title: 'Ontwikkelaarsgereedschap',
    subtitle: 'Gesimuleerde kaartlezer, alleen in demonstratiemodus.',
    cardsHeading: 'Kaart voor de lezer houden',
    present: 'Op de lezer: {{label}}',
    noCard: 'Geen kaart op de lezer',
    remove: 'Kaart wegnemen',
    tearHeading: 'Kaart wegtrekken tijdens schrijven',
    tearLabel: 'Na hoeveel blokschrijfacties',
    tearArm: 'Instellen voor volgende levering',
    tearArmed_one: 'Ingesteld: de volgende levering breekt af na {{count}} blokschrijfactie.',
    tearArmed_other: 'Ingesteld: de volgende levering breekt af na {{count}} blokschrijfacties.',
    tearNone: 'Niet ingesteld.',
  },
} as const;

// Coverage is checked on the finished object (not the literal) so that nl may have
// keys CatalogCoverage does not mention.
const _coverage: CatalogCoverage = nl;
