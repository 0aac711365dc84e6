-- phpMyAdmin SQL Dump
-- version 4.9.5
-- Hand-made fixture for Chrysalide tests: phpBB 3.0, table prefix forum_, INSERTs with column lists,
-- one row per line, no CREATE TABLE for the posts (columns come from the INSERT).

SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";
SET time_zone = "+00:00";

INSERT INTO `forum_forums` (`forum_id`, `forum_name`) VALUES
(1, 'Général');

INSERT INTO `forum_users` (`user_id`, `username`, `user_type`, `group_id`, `user_regdate`) VALUES
(1, 'Anonymous', 2, 1, 0),
(2, 'Founder', 3, 5, 1199145600),
(7, 'Lucie', 0, 2, 1199232000);

INSERT INTO `forum_topics` (`topic_id`, `forum_id`, `topic_title`, `topic_poster`, `topic_time`) VALUES
(10, 1, 'Fatigue &quot;chronique&quot;', 7, 1199318400);

INSERT INTO forum_posts (post_id, topic_id, forum_id, poster_id, post_time, post_approved, post_username, post_subject, post_text, bbcode_uid) VALUES
(100, 10, 1, 7, 1199318400, 1, '', 'Fatigue &quot;chronique&quot;', 'Je suis [i:ab12cd34]très[/i:ab12cd34] fatiguée.\n[list:ab12cd34][*:ab12cd34]sommeil[/*:m:ab12cd34][*:ab12cd34]poids[/*:m:ab12cd34][/list:u:ab12cd34]', 'ab12cd34'),
(101, 10, 1, 2, 1199322000, 1, '', 'Re: Fatigue', '[quote=&quot;Lucie&quot;:ef56gh78]Je suis très fatiguée.[/quote:ef56gh78]Avez-vous vu [url=http&#58;//www&#46;example&#46;org/tsh:ef56gh78]votre TSH[/url:ef56gh78] ? [img:ef56gh78]http&#58;//example&#46;org/x&#46;png[/img:ef56gh78]', 'ef56gh78'),
(102, 10, 1, 7, 1199325600, 0, '', 'Re: Fatigue', 'En attente de validation', ''),
(103, 10, 1, 1, 1199329200, 1, 'Passant', 'Re: Fatigue', 'Moi aussi -- et vous ?', '');
