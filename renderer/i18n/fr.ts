// French. Typed against the Dutch source: a missing or extra key does not compile.
// NS product names and "Kaartservicecode" stay Dutch, as travellers see them in Mijn NS.
import { LANGUAGE_NAMES } from './catalog.js';
import type { Catalog } from './en.js';

export const fr: Catalog = {
  app: {
    name: 'Distributeur de billets',
    demoBadge: 'DÉMO',
    demoDescription: 'Mode démonstration : aucune vraie commande n’est retirée.',
  },
  language: {
    label: 'Langue',
    ...LANGUAGE_NAMES,
  },
  common: {
    back: 'Retour',
    stop: 'Arrêter',
  },
  assist: {
    label: 'Aide à l’utilisation',
    highContrast: 'Contraste élevé',
    speech: 'Voix',
    moreTime: 'Plus de temps',
    choices: 'Choix : {{choices}}',
  },
  connection: {
    connectingTitle: 'Connexion…',
    connectingBody: 'Le distributeur démarre. Veuillez patienter un instant.',
    lostTitle: 'Connexion interrompue',
    lostBody: 'Nous nous reconnectons. Veuillez patienter, vous n’avez rien à faire.',
  },
  card: {
    heading: 'Votre carte',
    number: 'Numéro de carte',
    balance: 'Solde',
    expiry: 'Valable jusqu’au',
  },
  order: {
    kaartservicecode: 'Kaartservicecode',
    kaartservicecodeDetail: 'Vous verrez le code après l’avoir retiré.',
    topup: 'Solde {{amount}}',
    topupDetail: 'Sera chargé sur votre carte',
    validity: 'Valable du {{from}} au {{until}} inclus',
    orderedAt: 'Commandé le {{date}}',
  },
  products: {
    DAL_VOORDEEL: 'Dal Voordeel',
    ALTIJD_VOORDEEL: 'Altijd Voordeel',
    WEEKEND_VRIJ: 'Weekend Vrij',
    TRAJECT_VRIJ: 'Traject Vrij',
    unknown: 'Titre de transport',
  },
  outOfService: {
    title: 'Hors service',
    reasons: {
      starting: 'Le distributeur démarre. Veuillez patienter un instant.',
      noReader:
        'Le lecteur de carte ne fonctionne pas pour le moment. Veuillez utiliser un autre distributeur ou demander de l’aide au personnel NS.',
      manual:
        'Ce distributeur est temporairement hors service. Veuillez utiliser un autre distributeur ou demander de l’aide au personnel NS.',
    },
    serviceReasons: {
      maintenance:
        'Ce distributeur est temporairement hors service pour maintenance. Veuillez utiliser un autre distributeur ou demander de l’aide au personnel NS.',
      technicalFault:
        'Ce distributeur est temporairement hors service à la suite d’une panne. Veuillez utiliser un autre distributeur ou demander de l’aide au personnel NS.',
      cleaning: 'Ce distributeur est en cours de nettoyage. Veuillez utiliser un autre distributeur ou réessayer dans quelques minutes.',
    },
    fallback:
      'Le distributeur ne peut pas afficher ceci pour le moment. Veuillez utiliser un autre distributeur ou demander de l’aide au personnel NS.',
  },
  idle: {
    title: 'Présentez votre OV-chipkaart au lecteur',
    body: 'Retirez ici ce que vous avez commandé en ligne : un titre de transport, du solde ou votre kaartservicecode.',
  },
  readingCard: {
    title: 'Lecture de votre carte',
    body: 'Maintenez votre carte immobile devant le lecteur.',
  },
  unknownCard: {
    title: 'Nous ne pouvons pas utiliser cette carte',
    reasons: {
      foreignCard: 'Cette carte n’est pas une OV-chipkaart. Veuillez présenter votre OV-chipkaart au lecteur.',
      corruptCard: 'Les données de cette carte sont endommagées. Veuillez vous rendre avec votre carte à un guichet NS, où l’on vous aidera.',
      expiredCard: 'Cette OV-chipkaart a expiré. Veuillez contacter le service clients NS, qui vous aidera avec votre commande.',
      unreadable: 'La carte n’a pas pu être lue correctement. Retirez la carte et présentez-la de nouveau immobile au lecteur.',
    },
  },
  menu: {
    title: 'Que souhaitez-vous faire ?',
    pickup: 'Retirer une commande',
  },
  loadingOrders: {
    title: 'Recherche de vos commandes',
    body: 'Veuillez patienter un instant. Laissez votre carte sur le lecteur.',
  },
  orders: {
    title: 'Choisissez une commande',
    body: 'Ces commandes sont prêtes pour votre carte.',
  },
  noOrders: {
    title: 'Aucune commande trouvée',
    body: 'Aucune commande n’est prête pour cette carte.',
    hint: 'Vous venez de commander ? Il faut parfois un peu de temps avant que votre commande soit prête ici. Veuillez réessayer plus tard.',
  },
  confirm: {
    title: 'Est-ce la bonne commande ?',
    body: 'Laissez votre carte sur le lecteur jusqu’à la fin du retrait.',
    ok: 'D’accord',
    cancel: 'Annuler',
  },
  delivering: {
    title: 'Ne retirez pas votre carte',
    body: 'Votre carte est en cours d’écriture. Maintenez-la immobile sur le lecteur, cela prend quelques secondes.',
  },
  delivered: {
    titleCode: 'Votre kaartservicecode',
    codeLabel: 'Kaartservicecode',
    codeOnlyNow: 'Ce code n’est affiché que maintenant. Notez-le avant de continuer.',
    titleProduct: 'Le titre est sur votre carte',
    titleTopup: 'Le solde est sur votre carte',
    topupAmount: '{{amount}} a été chargé sur votre carte.',
    newBalance: 'Nouveau solde : {{balance}}',
    another: 'Retirer une autre commande',
    done: 'Terminé',
  },
  interrupted: {
    title: 'Présentez de nouveau la même carte au lecteur',
    body: 'La carte a été retirée avant la fin du retrait. Votre commande n’est pas perdue : présentez la même carte au lecteur et nous terminerons.',
    differentCard: 'Ce n’est pas la même carte',
    differentCardHint: 'Veuillez présenter au lecteur la carte avec laquelle vous avez commencé.',
    deadline_one: 'Vous avez {{count}} seconde pour le faire.',
    deadline_other: 'Vous avez {{count}} secondes pour le faire.',
  },
  failed: {
    title: 'Votre commande n’a pas pu être retirée',
    orderSafe: 'Votre commande n’est pas perdue.',
    retry: 'Réessayer',
    reasons: {
      cardRemoved:
        'La carte n’a pas été présentée de nouveau à temps. Présentez de nouveau la même carte au lecteur et nous terminerons le retrait.',
      balanceLimit:
        'Ce solde ferait dépasser à votre carte le maximum de {{max}}. Voyagez d’abord avec votre carte et retirez le solde plus tard.',
      noFreeSlot:
        'Il n’y a plus de place sur votre carte pour un autre titre. Retirez-le quand un autre titre aura expiré, ou demandez de l’aide à un guichet NS.',
      cardExpired: 'Votre carte a expiré, le titre ne peut donc pas être chargé. Veuillez contacter le service clients NS, qui vous aidera.',
      orderUnavailable:
        'Cette commande ne peut pas être retirée pour le moment. Veuillez réessayer plus tard ou contacter le service clients NS.',
      wrongCard: 'Cette commande appartient à une autre carte. Veuillez présenter au lecteur la carte pour laquelle vous avez commandé.',
      timeout: 'Le retrait a pris trop de temps et a été arrêté. Présentez votre carte au lecteur et réessayez.',
      internal:
        'Un problème est survenu dans le distributeur. Veuillez réessayer. Si cela ne fonctionne pas, veuillez utiliser un autre distributeur.',
    },
  },
  inactivity: {
    title: 'Êtes-vous toujours là ?',
    body: 'Si vous ne faites rien, nous arrêterons bientôt. Voulez-vous continuer ?',
    continue: 'Oui, continuer',
  },
  pin: {
    title: 'Mode technicien',
    bodyCard: 'Carte technicien reconnue. Saisissez votre code PIN.',
    bodyServiceKey: 'Clé de service utilisée. Saisissez votre code PIN.',
    hint: 'Le code PIN comporte de 4 à 8 chiffres.',
    entered_one: '{{count}} chiffre saisi',
    entered_other: '{{count}} chiffres saisis',
    keypad: 'Touches numériques',
    clear: 'Effacer',
    backspace: 'Effacer le dernier chiffre',
    backspaceKey: '←',
    ok: 'OK',
    wrong: 'Code PIN incorrect',
    attemptsLeft_one: 'Encore {{count}} essai',
    attemptsLeft_other: 'Encore {{count}} essais',
  },
  checkingPin: {
    title: 'Vérification du code PIN',
    body: 'Veuillez patienter un instant.',
  },
  pinLocked: {
    title: 'Mode technicien verrouillé',
    body_one: 'Trop de codes PIN incorrects. Veuillez réessayer dans {{count}} minute.',
    body_other: 'Trop de codes PIN incorrects. Veuillez réessayer dans {{count}} minutes.',
  },
  maintenance: {
    title: 'Mode technicien',
    exit: 'Quitter le mode technicien',
    pagesLabel: 'Sections du mode technicien',
    pages: {
      status: 'État',
      testCard: 'Tester une carte',
      deliveries: 'Livraisons',
      log: 'Journal',
      audit: 'Journal d’audit',
      outOfService: 'Hors service',
    },
    busy: 'En cours…',
    result: {
      ok: 'Réussi : {{action}}',
      failed: 'Échec : {{action}}',
      count: 'Nombre : {{count}}',
    },
    actions: {
      syncNow: 'Synchroniser maintenant',
      restartReader: 'Redémarrer le lecteur de carte',
      releaseDeliveries: 'Libérer les livraisons',
      backInService: 'Remettre en service',
      outOfService: 'Mettre hors service',
    },
    actionsLabel: 'Actions',
    health: {
      green: 'OK',
      amber: 'Attention',
      red: 'Panne',
    },
    none: '—',
    yes: 'Oui',
    no: 'Non',
    status: {
      overall: 'État général',
      reader: {
        title: 'Lecteur de carte',
        name: 'Nom',
        status: 'État',
        lastCard: 'Dernière carte',
        errors: 'Erreurs depuis le démarrage',
      },
      store: {
        title: 'Stockage',
        size: 'Taille de la base de données',
        pendingOrders: 'Commandes en attente',
        unsettled: 'Livraisons non soldées',
      },
      sync: {
        title: 'Synchronisation',
        configured: 'Configurée',
        online: 'Connecté au back-office',
        lastSuccess: 'Dernier succès',
        outbox: 'File vers le back-office',
        lag: 'Retard',
      },
      app: {
        title: 'Application',
        version: 'Version',
        uptime: 'En marche depuis le démarrage',
        outOfService: 'Hors service',
      },
      disk: {
        title: 'Disque',
        free: 'Libre',
        total: 'Total',
      },
      noCardYet: 'aucune pour l’instant',
      never: 'jamais',
      unknown: 'inconnu',
      inService: 'Non, en service',
      lag_one: '{{count}} seconde',
      lag_other: '{{count}} secondes',
      uptime: '{{hours}} h {{minutes}} min',
    },
    readerStatus: {
      no_reader: 'Aucun lecteur de carte trouvé',
      ready: 'Prêt',
      card_present: 'Carte sur le lecteur',
      card_error: 'Erreur de carte',
    },
    readerFault: {
      readerInUse: 'Un autre programme utilise le lecteur de carte',
    },
    serviceReasons: {
      maintenance: 'Maintenance',
      technicalFault: 'Panne',
      cleaning: 'Nettoyage',
    },
    cardKinds: {
      traveller: 'Carte voyageur',
      technician: 'Carte technicien',
    },
    testCard: {
      instruction: 'Présentez au lecteur la carte à tester',
      waiting: 'Aucune carte lue pour l’instant.',
      okTitle: 'Carte lue',
      failedTitle: 'Carte inutilisable',
      number: 'Numéro de carte',
      kind: 'Type de carte',
      expiry: 'Valable jusqu’au',
      balance: 'Solde',
      products: 'Titres de transport',
      noProducts: 'Aucun',
      ordersOnCard: 'Commandes inscrites sur la carte',
      activeRecord: 'Enregistrement actif',
      sequence: 'Numéro de séquence',
      layoutVersion: 'Version de la structure',
      uid: 'UID',
    },
    readFailures: {
      foreignCard: 'Pas une OV-chipkaart : type de carte inconnu ou carte d’un autre émetteur.',
      corruptCard: 'Les données sont endommagées : aucun enregistrement valide (somme de contrôle ou structure incorrecte).',
      expiredCard: 'La carte a expiré.',
      unreadable: 'La carte n’a pas pu être lue : erreur de communication ou carte retirée trop tôt.',
    },
    deliveries: {
      explanation:
        'Une livraison reste non soldée lorsqu’une carte a été retirée pendant l’écriture et n’est pas revenue. Libérer clôt ces livraisons pour que le voyageur puisse retirer la commande à nouveau. Une double livraison est impossible : la carte garde elle-même la trace des commandes qu’elle contient déjà, même si l’écriture a été interrompue. Si la commande se trouve malgré tout sur la carte, elle est signalée comme livrée dès que la carte est présentée à nouveau.',
      release: 'Libérer',
      none: 'Aucune livraison non soldée',
      card: 'Carte',
      kind: 'Type',
      state: 'État',
      since: 'Depuis',
      kinds: {
        kaartservicecode: 'Kaartservicecode',
        product: 'Titre de transport',
        topup: 'Solde',
      },
      states: {
        pending: 'Préparée',
        writing: 'Interrompue pendant l’écriture',
      },
    },
    log: {
      none: 'Aucune ligne de journal',
      time: 'Heure',
      level: 'Niveau',
      message: 'Message',
    },
    audit: {
      none: 'Aucune ligne d’audit',
      time: 'Heure',
      actor: 'Qui',
      action: 'Action',
      detail: 'Détails',
    },
    outOfService: {
      inService: 'Ce distributeur est en service.',
      isOut: 'Ce distributeur est hors service : {{reason}}.',
      choose: 'Mettre ce distributeur hors service',
      take: {
        maintenance: 'Hors service pour maintenance',
        technicalFault: 'Hors service pour panne',
        cleaning: 'Hors service pour nettoyage',
      },
      travellersSee: 'Les voyageurs voient : « {{text}} »',
    },
  },
  dev: {
    title: 'Outils de développement',
    subtitle: 'Lecteur de carte simulé, uniquement en mode démonstration.',
    cardsHeading: 'Présenter une carte au lecteur',
    present: 'Sur le lecteur : {{label}}',
    noCard: 'Aucune carte sur le lecteur',
    remove: 'Retirer la carte',
    tearHeading: 'Arracher la carte pendant l’écriture',
    tearLabel: 'Après combien d’écritures de bloc',
    tearArm: 'Armer pour la prochaine livraison',
    tearArmed_one: 'Armé : la prochaine livraison s’interrompt après {{count}} écriture de bloc.',
    tearArmed_other: 'Armé : la prochaine livraison s’interrompt après {{count}} écritures de bloc.',
    tearNone: 'Non armé.',
  },
};
