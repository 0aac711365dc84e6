-- Hand-made fixture for Chrysalide tests: a latin-1 (ISO-8859-1) encoded phpBB 3.0 dump.
CREATE TABLE `phpbb3_posts` (
  `post_id` mediumint(8) unsigned NOT NULL auto_increment,
  `topic_id` mediumint(8) unsigned NOT NULL default '0',
  `forum_id` mediumint(8) unsigned NOT NULL default '0',
  `poster_id` mediumint(8) unsigned NOT NULL default '0',
  `post_time` int(11) unsigned NOT NULL default '0',
  `post_approved` tinyint(1) unsigned NOT NULL default '1',
  `post_username` varchar(255) NOT NULL default '',
  `post_subject` varchar(100) NOT NULL default '',
  `post_text` mediumtext NOT NULL,
  `bbcode_uid` varchar(8) NOT NULL default '',
  PRIMARY KEY  (`post_id`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `phpbb3_posts` VALUES (1,1,1,2,1104537600,1,'','Schilddrüse','Größere Müdigkeit seit der Erhöhung auf 75µg, Ärztin sagt «abwarten».','');
CREATE TABLE `phpbb3_topics` (
  `topic_id` mediumint(8) unsigned NOT NULL auto_increment,
  `forum_id` smallint(5) unsigned NOT NULL default '0',
  `topic_title` varchar(100) NOT NULL default '',
  `topic_poster` mediumint(8) unsigned NOT NULL default '0',
  PRIMARY KEY  (`topic_id`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `phpbb3_topics` VALUES (1,1,'Schilddrüse',2);
CREATE TABLE `phpbb3_users` (
  `user_id` mediumint(8) unsigned NOT NULL auto_increment,
  `user_type` tinyint(2) NOT NULL default '0',
  `username` varchar(255) NOT NULL default '',
  PRIMARY KEY  (`user_id`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `phpbb3_users` VALUES (1,2,'Anonymous'),(2,0,'Jürgen');
