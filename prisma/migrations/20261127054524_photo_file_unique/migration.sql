-- A photo request looks its topic up by file name.
CREATE UNIQUE INDEX "TopicPhoto_file_key" ON "TopicPhoto"("file");
