-- MySQL dump 10.13  Distrib 5.7.42, for Linux (x86_64)
--
-- Host: localhost    Database: forum
-- Hand-made fixture for Chrysalide tests: phpBB 3.1 tables, positional INSERTs.

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;

DROP TABLE IF EXISTS `phpbb_acl_users`;
CREATE TABLE `phpbb_acl_users` (
  `user_id` int(10) unsigned NOT NULL DEFAULT '0',
  `forum_id` mediumint(8) unsigned NOT NULL DEFAULT '0',
  KEY `user_id` (`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO `phpbb_acl_users` VALUES (2,0),(5,1);

DROP TABLE IF EXISTS `phpbb_forums`;
CREATE TABLE `phpbb_forums` (
  `forum_id` mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
  `parent_id` mediumint(8) unsigned NOT NULL DEFAULT '0',
  `forum_name` varchar(255) COLLATE utf8_bin NOT NULL DEFAULT '',
  `forum_desc` text COLLATE utf8_bin NOT NULL,
  PRIMARY KEY (`forum_id`),
  KEY `left_right_id` (`parent_id`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8 COLLATE=utf8_bin;

LOCK TABLES `phpbb_forums` WRITE;
/*!40000 ALTER TABLE `phpbb_forums` DISABLE KEYS */;
INSERT INTO `phpbb_forums` VALUES (1,0,'Thyroïde &amp; traitements','Discussions; \'levothyrox\''),(2,0,'Présentations','');
/*!40000 ALTER TABLE `phpbb_forums` ENABLE KEYS */;
UNLOCK TABLES;

DROP TABLE IF EXISTS `phpbb_groups`;
CREATE TABLE `phpbb_groups` (
  `group_id` mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
  `group_type` tinyint(4) NOT NULL DEFAULT '1',
  `group_name` varchar(255) COLLATE utf8_bin NOT NULL DEFAULT '',
  PRIMARY KEY (`group_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8 COLLATE=utf8_bin;
INSERT INTO `phpbb_groups` VALUES (1,3,'GUESTS'),(2,3,'REGISTERED'),(4,3,'GLOBAL_MODERATORS'),(5,3,'ADMINISTRATORS'),(6,3,'BOTS');

DROP TABLE IF EXISTS `phpbb_posts`;
CREATE TABLE `phpbb_posts` (
  `post_id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `topic_id` int(10) unsigned NOT NULL DEFAULT '0',
  `forum_id` mediumint(8) unsigned NOT NULL DEFAULT '0',
  `poster_id` int(10) unsigned NOT NULL DEFAULT '0',
  `icon_id` mediumint(8) unsigned NOT NULL DEFAULT '0',
  `poster_ip` varchar(40) COLLATE utf8_bin NOT NULL DEFAULT '',
  `post_time` int(11) unsigned NOT NULL DEFAULT '0',
  `post_reported` tinyint(1) unsigned NOT NULL DEFAULT '0',
  `post_username` varchar(255) COLLATE utf8_bin NOT NULL DEFAULT '',
  `post_subject` varchar(255) CHARACTER SET utf8 COLLATE utf8_unicode_ci NOT NULL DEFAULT '',
  `post_text` mediumtext COLLATE utf8_bin NOT NULL,
  `bbcode_uid` varchar(8) COLLATE utf8_bin NOT NULL DEFAULT '',
  `post_visibility` tinyint(3) NOT NULL DEFAULT '0',
  `post_edit_reason` varchar(255) COLLATE utf8_bin DEFAULT NULL,
  PRIMARY KEY (`post_id`),
  KEY `forum_id` (`forum_id`),
  FULLTEXT KEY `post_text` (`post_text`)
) ENGINE=InnoDB AUTO_INCREMENT=8 DEFAULT CHARSET=utf8 COLLATE=utf8_bin;

LOCK TABLES `phpbb_posts` WRITE;
INSERT INTO `phpbb_posts` VALUES (1,1,1,2,0,'127.0.0.1',1262347200,0,'','Bienvenue','Bonjour à tous ! <!-- s:) --><img src=\"{SMILIES_PATH}/icon_e_smile.gif\" alt=\":)\" title=\"Smile\" /><!-- s:) -->\nLisez [b:2x9kq1ab]les règles[/b:2x9kq1ab] ; merci.','2x9kq1ab',1,NULL),(2,1,1,3,0,'10.0.0.2',1262350800,0,'','Re: Bienvenue','[quote=&quot;admin&quot;:3kd8f2j1]Bonjour à tous ![/quote:3kd8f2j1]\nMerci, j\'ai une question sur le Levothyrox. Voir <!-- m --><a class=\"postlink\" href=\"http://example.org/levo?a=1&amp;b=2\">http://example.org/levo?a=1&amp;b=2</a><!-- m -->','3kd8f2j1',1,NULL),(3,1,1,1,0,'10.0.0.3',1262354400,0,'Visiteur','Re: Bienvenue','Un invité écrit &lt;script&gt;alert(1)&lt;/script&gt; et \"cite\" l''avis.','',1,NULL);
INSERT INTO `phpbb_posts` VALUES (4,2,2,99,0,'',1262440800,0,'ancien','Je me présente','Mon compte a été supprimé mais\\mon message reste.','',1,NULL),(5,2,2,3,0,'',1262444400,0,'','Re: Je me présente','Message soft-deleted','',2,'spam'),(6,2,2,4,0,'',1262448000,0,'','Re: Je me présente','<r><QUOTE author=\"ancien\" post_id=\"4\" time=\"1262440800\" user_id=\"99\"><s>[quote=ancien post_id=4 time=1262440800 user_id=99]</s>Mon compte a été supprimé<e>[/quote]</e></QUOTE>\nBienvenue quand même <E>:-)</E><br/>\nà bientôt</r>','',1,NULL),(7,2,2,3,0,'',-1,0,'','Re: Je me présente','ligne un\r\nligne deux','',1,NULL),(8,2,2,3,0,'',1262451600);
UNLOCK TABLES;

DROP TABLE IF EXISTS `phpbb_topics`;
CREATE TABLE `phpbb_topics` (
  `topic_id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `forum_id` mediumint(8) unsigned NOT NULL DEFAULT '0',
  `topic_title` varchar(255) CHARACTER SET utf8 COLLATE utf8_unicode_ci NOT NULL DEFAULT '',
  `topic_poster` int(10) unsigned NOT NULL DEFAULT '0',
  `topic_time` int(11) unsigned NOT NULL DEFAULT '0',
  `topic_moved_id` int(10) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (`topic_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO `phpbb_topics` VALUES (1,1,'Bienvenue',2,1262347200,0),(2,2,'Je me pr&eacute;sente',99,1262440800,0),(3,1,'Je me pr&eacute;sente',99,1262440800,2);

DROP TABLE IF EXISTS `phpbb_user_group`;
CREATE TABLE `phpbb_user_group` (
  `group_id` mediumint(8) unsigned NOT NULL DEFAULT '0',
  `user_id` int(10) unsigned NOT NULL DEFAULT '0',
  `group_leader` tinyint(1) unsigned NOT NULL DEFAULT '0',
  `user_pending` tinyint(1) unsigned NOT NULL DEFAULT '1',
  KEY `group_id` (`group_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO `phpbb_user_group` VALUES (1,1,0,0),(2,2,0,0),(5,2,0,0),(2,3,0,0),(4,3,0,0),(2,4,0,0),(5,4,0,1),(6,5,0,0);

DROP TABLE IF EXISTS `phpbb_users`;
CREATE TABLE `phpbb_users` (
  `user_id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `user_type` tinyint(2) NOT NULL DEFAULT '0',
  `group_id` mediumint(8) unsigned NOT NULL DEFAULT '3',
  `user_regdate` int(11) unsigned NOT NULL DEFAULT '0',
  `username` varchar(255) COLLATE utf8_bin NOT NULL DEFAULT '',
  `username_clean` varchar(255) COLLATE utf8_bin NOT NULL DEFAULT '',
  PRIMARY KEY (`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8 COLLATE=utf8_bin;
INSERT INTO `phpbb_users` VALUES (1,2,1,1262300000,'Anonymous','anonymous'),(2,3,5,1262300000,'admin','admin'),(3,0,2,1262340000,'Marie','marie'),(4,1,2,1262400000,'Jo &amp; Co','jo & co'),(5,2,6,1262300000,'Googlebot','googlebot');
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

-- Dump completed on 2024-01-01 12:00:00
