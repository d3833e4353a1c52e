// Dutch: the source catalog. Every other language is typed against these keys.
// NS wording where the traveller knows it from the machines at the station.
import type { CatalogCoverage } from './catalog.js';

export const nl = {
  app: {
    name: 'Kaartautomaat',
    demoBadge: 'DEMO',
    demoDescription: 'Demonstratiemodus: er worden geen echte bestellingen opgehaald.',
  },
  language: {
    label: 'Taal',
    nl: 'Nederlands',
    en: 'English',
    nlShort: 'NL',
    enShort: 'EN',
  },
  common: {
    back: 'Terug',
    stop: 'Stoppen',
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
    topup: 'Saldo {{amount}}',
    topupDetail: 'Wordt op uw kaart gezet',
    validity: 'Geldig van {{from}} tot en met {{until}}',
    orderedAt: 'Besteld op {{date}}',
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
      serviceCard: 'Dit is een servicekaart voor medewerkers. Houd een OV-chipkaart van een reiziger voor de lezer.',
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
  delivering: {
    title: 'Niet wegnemen — uw kaart wordt beschreven',
    body: 'Houd uw kaart stil voor de lezer. Dit duurt een paar seconden.',
  },
  delivered: {
    titleCode: 'Uw kaartservicecode',
    codeLabel: 'Kaartservicecode',
    codeOnlyNow: 'Deze code wordt alleen nu getoond. Schrijf hem op voordat u verdergaat.',
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
    reasons: {
      cardRemoved:
        'De kaart is niet op tijd teruggehouden. Houd dezelfde kaart opnieuw voor de lezer, dan maken we het ophalen af.',
      balanceLimit:
        'Met dit saldo komt u boven het maximum van {{max}} op uw kaart. Reis eerst met uw kaart en haal het saldo later op.',
      noFreeSlot:
        'Er is geen ruimte meer op uw kaart voor een nieuw product. Haal het op als een ander product is verlopen, of vraag hulp bij een NS-servicebalie.',
      cardExpired:
        'Uw kaart is verlopen, daarom kan het product er niet op. Neem contact op met NS Klantenservice, zij helpen u verder.',
      orderUnavailable:
        'Deze bestelling kan nu niet worden opgehaald. Probeer het later opnieuw of neem contact op met NS Klantenservice.',
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
